// ArtifactStore in the study's own PostgreSQL database: a table of blobs beside Optuna's tables.
import { ModelError } from '../../core/errors.js';
import { sha256Hex } from '../../models/bundle/index.js';
import { PgDatabase, type PgOptions } from '../storage/postgres-driver.js';
import type { ArtifactStore } from './artifact-store.js';

/** The table, created on first use (Optuna and optuna-dashboard ignore tables they do not know). */
export const ARTIFACTS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS hybrid_trader_artifacts (
\tsha256 CHAR(64) NOT NULL,
\tbytes BIGINT NOT NULL,
\tdata BYTEA NOT NULL,
\tcreated_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT LOCALTIMESTAMP,
\tPRIMARY KEY (sha256)
)`;

/** Key of the advisory lock around the table's creation (two processes creating it at once). */
const TABLE_LOCK_KEY = 0x6874_6172; // "htar"

/**
 * Blobs in `hybrid_trader_artifacts` (sha256, bytes, data BYTEA) of the study database: every worker and
 * deployer that reaches the study reaches its bundles, with nothing else to set up. Writes and reads are
 * single statements, retried like the study storage's.
 */
export class PostgresArtifactStore implements ArtifactStore {
  readonly kind = 'database' as const;

  private constructor(
    private readonly db: PgDatabase,
    readonly shown: string,
  ) {}

  /** Round trips, transactions and retries since the store opened (the bench reports them per trial). */
  get stats(): Readonly<PgDatabase['stats']> {
    return this.db.stats;
  }

  /** Opens the store in the database at `url`, creating its table when missing. */
  static async open(url: string, shown: string, options: PgOptions = {}): Promise<PostgresArtifactStore> {
    const db = PgDatabase.open(url, shown, options);
    try {
      await db.transaction('create the artifacts table', async (session) => {
        await session.query('SELECT pg_advisory_xact_lock($1)', [TABLE_LOCK_KEY]);
        await session.query(ARTIFACTS_TABLE_DDL);
      });
      return new PostgresArtifactStore(db, shown);
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Hex(bytes);
    await this.db.query(
      `store artifact ${sha256}`,
      'INSERT INTO hybrid_trader_artifacts (sha256, bytes, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING',
      [sha256, bytes.byteLength, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
    );
    return sha256;
  }

  async get(sha256: string): Promise<Uint8Array> {
    const rows = await this.db.query(
      `read artifact ${sha256}`,
      'SELECT data FROM hybrid_trader_artifacts WHERE sha256 = $1',
      [sha256],
    );
    const data = rows[0]?.data;
    if (!(data instanceof Uint8Array))
      throw new ModelError('ARTIFACT_NOT_FOUND', `artifact ${sha256} is not in ${this.shown}`, {
        sha256,
        store: this.shown,
      });
    if (sha256Hex(data) !== sha256)
      throw new ModelError(
        'ARTIFACT_CORRUPT',
        `artifact ${sha256} in ${this.shown} does not hash to its name`,
        { sha256 },
      );
    return data;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

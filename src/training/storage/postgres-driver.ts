// The `pg` boundary: a pool per storage, sessions and transactions, and retries of transient failures.
import pg from 'pg';
import { ConfigError, HybridTraderError } from '../../core/errors.js';
import type { Row } from './row-fields.js';

/** Values bound to $n parameters: arrays bind as PostgreSQL arrays, null as NULL. */
export type PgValue = number | string | boolean | null | Uint8Array | readonly (number | string | null)[];

/** One connection, inside a transaction or not: runs statements, one round trip each. */
export interface PgSession {
  query(sql: string, params?: readonly PgValue[]): Promise<Row[]>;
}

/** Options of {@link PgDatabase.open}. */
export interface PgOptions {
  /** Connections of the pool. A worker thread runs one statement at a time; 2 leaves one for heartbeats. */
  readonly poolSize?: number;
  /** How long one attempt waits for a connection (pool or server). Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** How long transient failures (connection lost, server restarting, deadlock, serialization) are retried. Default 60 000 ms. */
  readonly retryForMs?: number;
  /** Idle connections are closed after this. Default 10 000 ms. */
  readonly idleTimeoutMs?: number;
}

/** Round trips and retries since the storage opened (the bench reports them per trial). */
export interface PgStats {
  roundTrips: number;
  retries: number;
  transactions: number;
}

/** SQLSTATEs after which the whole transaction is run again (the server rolled it back). */
const RETRY_SQLSTATES = new Set([
  '40001', // serialization_failure (REPEATABLE READ / SERIALIZABLE databases)
  '40P01', // deadlock_detected
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up
  '53300', // too_many_connections: others hold every slot; one frees soon
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
]);

const RETRY_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Messages of `pg` for a connection that went away (it gives them no code). */
const RETRY_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i;

/** Whether a failure is transient: worth running the transaction again on a fresh connection. */
export function isTransientPgError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (RETRY_SQLSTATES.has(code) || RETRY_NODE_CODES.has(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return RETRY_MESSAGES.test(message);
}

/**
 * Whether a failure may have left its connection unusable (it is then discarded, not returned to the
 * pool): anything but our own refusals and the server's errors about a statement.
 */
function breaksConnection(error: unknown): boolean {
  if (error instanceof HybridTraderError) return false;
  const statementError = error instanceof pg.DatabaseError && !/^(08|57)/.test(error.code ?? '');
  return !statementError;
}

/** Parsers of this storage's connections: timestamps stay text (Optuna's naive datetimes), counts are numbers. */
const TYPES = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === 1114 || oid === 1184) return (value) => value; // timestamp, timestamptz
    if (oid === 20) return (value) => Number(value); // int8: counts, sequences far below 2^53
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A PostgreSQL database behind a `pg` pool. Every call is a unit of work that is run again from its
 * start when it fails transiently (connection lost, server restarting, deadlock or serialization
 * failure), with jittered exponential backoff, for up to `retryForMs`; then HybridTraderError
 * STUDY_STORAGE_UNAVAILABLE names the database, the work and the last failure. Other errors pass through.
 */
export class PgDatabase {
  readonly stats: PgStats = { roundTrips: 0, retries: 0, transactions: 0 };
  private readonly pool: pg.Pool;
  private readonly retryForMs: number;

  private constructor(
    url: string,
    /** The URL with its password masked, for messages. */
    readonly shown: string,
    options: PgOptions,
  ) {
    this.retryForMs = options.retryForMs ?? 60_000;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 2,
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      // Shortest exact float text whatever the server's default, so doubles read back bit-identical.
      options: '-c extra_float_digits=3',
      application_name: 'hybrid-trader',
      // Notice a peer that vanished (network cut, host down) instead of waiting on its socket forever.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      types: TYPES,
    });
    // An idle connection dropped by the server (restart, idle timeout) must not crash the process; the
    // next checkout opens a new one.
    this.pool.on('error', () => {});
  }

  /** Opens a pool (connections are made on first use). Throws ConfigError STUDY_STORAGE_OPEN_FAILED for a URL `pg` cannot read. */
  static open(url: string, shown: string, options: PgOptions = {}): PgDatabase {
    try {
      return new PgDatabase(url, shown, options);
    } catch (error) {
      throw new ConfigError(
        'STUDY_STORAGE_OPEN_FAILED',
        `cannot open study storage ${shown}: ${error instanceof Error ? error.message : String(error)}`,
        { url: shown },
        { cause: error },
      );
    }
  }

  /** One statement in its own transaction (autocommit), retried when transient. */
  query(what: string, sql: string, params: readonly PgValue[] = []): Promise<Row[]> {
    return this.withRetry(what, (session) => session.query(sql, params));
  }

  /**
   * Runs `fn` with one connection, each statement its own transaction (autocommit); all of `fn` is run
   * again on a transient failure, `attempt` telling which run it is (a write whose answer was lost may
   * have landed: the next run can see it).
   */
  run<T>(what: string, fn: (session: PgSession, attempt: number) => Promise<T>): Promise<T> {
    return this.withRetry(what, fn);
  }

  /**
   * Runs `fn` between BEGIN and COMMIT on one connection, at the database's default isolation (as
   * SQLAlchemy) or `isolation` when given. The whole transaction is run again on a transient failure;
   * `attempt` tells `fn` which run it is.
   */
  transaction<T>(
    what: string,
    fn: (session: PgSession, attempt: number) => Promise<T>,
    options: { isolation?: 'READ COMMITTED' } = {},
  ): Promise<T> {
    return this.withRetry(what, async (session, attempt) => {
      this.stats.transactions++;
      await session.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation}` : 'BEGIN');
      try {
        const result = await fn(session, attempt);
        await session.query('COMMIT');
        return result;
      } catch (error) {
        await session.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async withRetry<T>(
    what: string,
    fn: (session: PgSession, attempt: number) => Promise<T>,
  ): Promise<T> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient | undefined;
      // The pool listens for errors of idle connections only: one checked out here that the server drops
      // between two statements (a restart) would raise an unhandled 'error' event and end the process.
      // Noted instead; the next statement on it fails as not queryable, and the work is run again.
      let lost: Error | undefined;
      const onLost = (error: Error) => {
        lost ??= error;
      };
      try {
        client = await this.pool.connect();
        client.on('error', onLost);
        const checked = client;
        const session: PgSession = {
          query: async (sql, params = []) => {
            this.stats.roundTrips++;
            return (await checked.query(sql, params as unknown[])).rows as Row[];
          },
        };
        const result = await fn(session, attempt);
        client.off('error', onLost);
        client.release(lost);
        return result;
      } catch (error) {
        client?.off('error', onLost);
        client?.release(lost ?? (breaksConnection(error) ? (error as Error) : undefined));
        if (!isTransientPgError(error)) throw error;
        const delayMs = Math.min(2_000, 50 * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random());
        if (Date.now() - started + delayMs > this.retryForMs) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new HybridTraderError(
            'STUDY_STORAGE_UNAVAILABLE',
            `study storage ${this.shown} stayed unavailable while trying to ${what} (${attempt} attempts over ${((Date.now() - started) / 1000).toFixed(1)} s): ${reason}`,
            { url: this.shown, what, attempts: attempt },
            { cause: error },
          );
        }
        this.stats.retries++;
        await sleep(delayMs);
      }
    }
  }
}

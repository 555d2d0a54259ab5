// PostgreSQL for tests: the server named by HYBRID_TRADER_TEST_PG_URL (.ci/run starts a throwaway cluster and
// sets it), a fresh database per test file, and throwaway clusters of our own (the bench's) for tests that
// restart the server.
import { spawnSync } from 'node:child_process';
import { serviceAvailable } from './require-service.js';

/** The server tests use: a superuser URL (its database is only used to create others). */
export const TEST_PG_URL_ENV = 'HYBRID_TRADER_TEST_PG_URL';

/** A probe in a child process: the test's module loading stays synchronous, as vitest's skipIf needs. */
function canConnect(url: string): boolean {
  const script = `
    const pg = require('pg');
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 4000 });
    c.connect().then(() => c.query('SELECT 1')).then(() => c.end()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script, url], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0)
    throw new Error(`cannot connect to ${url.replace(/:[^:@/]*@/, ':***@')}: ${r.stderr.trim()}`);
  return true;
}

/**
 * Whether the PostgreSQL test server is reachable. Outside CI without HYBRID_TRADER_TEST_PG_URL the
 * tests skip with the reason printed; with HYBRID_TRADER_REQUIRE_SERVICES=1 (CI) they fail.
 */
export function postgresAvailable(): boolean {
  return serviceAvailable(`PostgreSQL (${TEST_PG_URL_ENV})`, () => {
    const url = process.env[TEST_PG_URL_ENV];
    if (!url)
      throw new Error(`${TEST_PG_URL_ENV} is not set (.ci/run starts a throwaway cluster and sets it)`);
    return canConnect(url);
  });
}

/** The test server's URL with another database. */
export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs SQL on the test server (or `url`) and returns the rows. */
export async function adminQuery(sql: string, params: unknown[] = [], url = process.env[TEST_PG_URL_ENV]!) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Creates a database with a unique name on the test server; returns its URL and a function that drops it. */
export async function createTestDatabase(
  prefix: string,
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `ht_${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    url: databaseUrl(process.env[TEST_PG_URL_ENV]!, name),
    name,
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export {
  freePort,
  postgresBinDir,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../bench/throwaway-postgres.js';

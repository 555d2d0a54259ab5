// PostgreSQL for tests: the server named by HYBRID_TRADER_TEST_PG_URL (.ci/run starts a throwaway cluster and
// sets it), a fresh database per test file, and throwaway clusters of our own for tests that restart the server.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
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

/** The newest PostgreSQL server binaries installed (Debian puts them in /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const majors = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(base, majors[0]!, 'bin') : null;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ThrowawayCluster {
  readonly url: string;
  /** Stops the server (fast shutdown: connections are cut) and starts it again on the same port. */
  restart(): void;
  /** Stops the server only (connections are refused until {@link ThrowawayCluster.startServer}). */
  stopServer(): void;
  /** Starts the server stopped by {@link ThrowawayCluster.stopServer} again, on the same port. */
  startServer(): void;
  /** Stops the server and removes the cluster's folder. */
  stop(): void;
}

/**
 * Starts a PostgreSQL cluster of our own in a temporary folder on 127.0.0.1 (about 2 s), for tests that
 * restart the server. As root, the cluster runs as the `postgres` user (initdb refuses root).
 * Throws when the binaries are missing.
 */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'ht-pg-cluster-'));
  const asRoot = userInfo().uid === 0;
  const run = (file: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, file), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, file), args, { stdio: 'pipe' });
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`,
      'start',
    ]);
  start();
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    restart: () => {
      stop();
      start();
    },
    stopServer: stop,
    startServer: start,
    stop: () => {
      try {
        stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

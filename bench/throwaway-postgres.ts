// A PostgreSQL cluster of our own in a temporary folder on 127.0.0.1 (initdb, about 2 s): the bench's
// PostgreSQL figures and the tests that restart the server run against one. Debian's server binaries only.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

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
  /** A superuser URL of its `postgres` database. */
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
 * Starts a cluster in a temporary folder, listening on 127.0.0.1 and a free port, trusting local
 * connections, with fsync off (it is thrown away). As root, it runs as the `postgres` user (initdb
 * refuses root). Throws when the binaries are missing.
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
    const uid = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(uid), Number(gid));
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

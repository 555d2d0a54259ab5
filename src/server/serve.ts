// Puts the app on a socket (@hono/node-server): 127.0.0.1 by default, a clean close for stop and tests.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { ConfigError } from '../core/errors.js';
import { type AppOptions, createApp } from './app.js';
import { LOOPBACK_HOSTS } from './auth.js';
import { DEFAULT_STORAGE_URL, StudyCatalog } from './study-catalog.js';

/** The default port of `hybrid-trader serve` and `start`. */
export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServerOptions extends Omit<AppOptions, 'allowedHosts'> {
  /** Interface to bind (default 127.0.0.1: only this machine). */
  readonly host?: string;
  /** Port (default 8787; 0 picks a free one, see `port` of the result). */
  readonly port?: number;
}

export interface RunningServer {
  /** `http://host:port/`, with the port actually bound. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections, ends open ones (event streams too) and resolves once closed. */
  close(): Promise<void>;
}

const isLoopback = (host: string) => LOOPBACK_HOSTS.includes(host.toLowerCase()) || host.startsWith('127.');

/**
 * Serves the app for `options.root`. On a loopback address the Host header must name a loopback host
 * (DNS rebinding guard). Rejects with ConfigError SERVER_LISTEN_FAILED (port in use, address not
 * available) naming host and port.
 */
export function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  // the server's own study storage, closed with it (a PostgreSQL one holds a pool)
  const studies =
    options.studies ?? new StudyCatalog(resolve(options.root), options.storage ?? DEFAULT_STORAGE_URL);
  const app = createApp({
    ...options,
    studies,
    allowedHosts: isLoopback(host) ? [...LOOPBACK_HOSTS, host.toLowerCase()] : undefined,
  });
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }) as Server;
    server.once('error', (error: NodeJS.ErrnoException) => {
      void studies.close();
      reject(
        new ConfigError(
          'SERVER_LISTEN_FAILED',
          `cannot serve on ${host}:${port}: ${error.code ?? error.message}`,
          { host, port },
          { cause: error },
        ),
      );
    });
    server.once('listening', () => {
      const bound = (server.address() as AddressInfo).port;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolvePromise({
        url: `http://${shown}:${bound}/`,
        host,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections(); // keep-alive and event-stream sockets would hold close() open
          }).then(() => studies.close()),
      });
    });
  });
}

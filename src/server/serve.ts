// Puts the app on a socket (@hono/node-server): 127.0.0.1 by default, a clean close for stop and tests.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { ConfigError } from '../core/errors.js';
import { type AppOptions, createApp, REQUEST_BODY_LIMIT_BYTES } from './app.js';
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

/** Bytes of an oversized body read (and dropped) after its 413 before the connection is cut. */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

/**
 * A body whose declared length exceeds the limit is answered 413 here, before the app: the rest of it is
 * read and dropped, so the client receives the answer (the app's stream would cut the connection while the
 * client is still sending, which the client sees as a reset). Returns whether it answered.
 */
function refuseOversized(req: IncomingMessage, res: ServerResponse): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared > REQUEST_BODY_LIMIT_BYTES)) return false;
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > MAX_DRAINED_BYTES) req.socket.destroy();
  });
  res.writeHead(413, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
  res.end(`${JSON.stringify({ error: `the body must not exceed ${REQUEST_BODY_LIMIT_BYTES} bytes` })}\n`);
  return true;
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
    const listener = getRequestListener(app.fetch, { hostname: host });
    const server = createServer((req, res) => {
      if (!refuseOversized(req, res)) void listener(req, res);
    });
    server.listen(port, host);
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

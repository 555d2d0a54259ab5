// A real local webhook receiver (node:http on 127.0.0.1) for integration tests: records every POST.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export interface WebhookServer {
  /** "http://127.0.0.1:<port>" */
  readonly base: string;
  readonly received: ReceivedRequest[];
  /** Resolves once `n` requests have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Answers each request with `answer(path)`: a status, or 'hang' (accept, read, never answer). */
export async function startWebhookServer(
  answer: (path: string) => number | 'hang' = () => 204,
): Promise<WebhookServer> {
  const received: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: text === '' ? null : JSON.parse(text),
      });
      for (const w of waiters.splice(0)) w();
      const a = answer(req.url ?? '');
      if (a === 'hang') return;
      res.writeHead(a, { 'content-type': 'text/plain' }).end(a === 204 ? undefined : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    async waitFor(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} requests, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 20);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A local port with nothing listening on it (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

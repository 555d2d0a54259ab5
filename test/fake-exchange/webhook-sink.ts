// A generic JSON webhook on 127.0.0.1 (node:http) that keeps every POST it receives: what a live run's
// notifier sends to HYBRID_TRADER_WEBHOOK_URL, for end-to-end tests.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as received: the URL path (one per run, to tell runs apart) and the parsed JSON body. */
export interface ReceivedHook {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface WebhookSink {
  /** Base URL; append a path per run (`${url}/run-a`). */
  readonly url: string;
  readonly received: ReceivedHook[];
  /** The bodies received on `path`. */
  bodies(path: string): Record<string, unknown>[];
  /** Resolves with the first body on `path` matching `match`, waiting up to `timeoutMs`. */
  waitFor(
    path: string,
    match: (body: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the sink; it answers 204 to every POST. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const received: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      try {
        received.push({ path: req.url ?? '/', body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bodies = (path: string) => received.filter((r) => r.path === path).map((r) => r.body);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    bodies,
    async waitFor(path, match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = bodies(path).find(match);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(
            `no matching notification on ${path} within ${timeoutMs} ms; got ${JSON.stringify(bodies(path).map((b) => [b.kind, b.title]))}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// A recording fetch for notifier tests: answers from a script, honours the abort signal.
import type { FetchLike } from '../post-webhook.js';

export interface RecordedRequest {
  readonly url: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** What to answer: a status (with optional headers), 'hang' (until aborted) or an Error to reject with. */
export type FakeAnswer = number | { status: number; headers?: Record<string, string> } | 'hang' | Error;

export interface FakeFetch {
  readonly fetch: FetchLike;
  readonly requests: RecordedRequest[];
}

/** Answers request n (0-based) with `answer(n, url)`. */
export function fakeFetch(answer: (n: number, url: string) => FakeAnswer = () => 204): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = (url, init) => {
    const n = requests.length;
    requests.push({
      url,
      body: JSON.parse(String(init.body)),
      headers: { ...(init.headers as Record<string, string>) },
    });
    const a = answer(n, url);
    if (a instanceof Error) return Promise.reject(a);
    if (a === 'hang')
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
      });
    const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
    return Promise.resolve(new Response(status === 204 ? null : 'ok', { status, headers }));
  };
  return { fetch, requests };
}

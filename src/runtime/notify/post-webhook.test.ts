import { describe, expect, it } from 'vitest';
import { parseRetryAfter, postWebhook } from './post-webhook.js';
import { SecretUrl } from './secret-url.js';
import { fakeFetch } from './testing/fake-fetch.js';

const url = new SecretUrl('https://example.org/hook/secret-token');
const post = (answer: Parameters<typeof fakeFetch>[0], cancel = new AbortController().signal) =>
  postWebhook({ fetch: fakeFetch(answer).fetch, url, body: '{}', timeoutMs: 1000, cancel });

describe('postWebhook', () => {
  it('classifies answers: 2xx sent; 429 and 5xx retryable; redirects and other 4xx not', async () => {
    expect(await post(() => 204)).toEqual({ ok: true, status: 204 });
    expect(await post(() => ({ status: 503, headers: { 'retry-after': '2' } }))).toEqual({
      ok: false,
      retryable: true,
      reason: 'HTTP 503',
      status: 503,
      retryAfterMs: 2000,
    });
    expect(await post(() => 301)).toMatchObject({
      retryable: false,
      reason: 'HTTP 301 (redirect not followed)',
    });
    expect(await post(() => 401)).toMatchObject({ retryable: false, retryAfterMs: null });
  });

  it('does not even try once the notifier is closed', async () => {
    const closed = new AbortController();
    closed.abort();
    const http = fakeFetch();
    const out = await postWebhook({
      fetch: http.fetch,
      url,
      body: '{}',
      timeoutMs: 1000,
      cancel: closed.signal,
    });
    expect(out).toMatchObject({ ok: false, retryable: false, reason: 'cancelled: the notifier was closed' });
    expect(http.requests).toHaveLength(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

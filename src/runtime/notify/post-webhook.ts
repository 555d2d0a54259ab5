// One POST to a webhook with a timeout, classified as sent, retryable or failed. Never throws.
import type { SecretUrl } from './secret-url.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type PostOutcome =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false;
      /** 429, 5xx and network errors may succeed on another attempt; timeouts and other 4xx will not. */
      readonly retryable: boolean;
      /** Redacted reason for logs: never the URL. */
      readonly reason: string;
      readonly status: number | null;
      /** From a Retry-After header (429, 503), ms. */
      readonly retryAfterMs: number | null;
    };

export interface PostRequest {
  readonly fetch: FetchLike;
  readonly url: SecretUrl;
  readonly body: string;
  readonly timeoutMs: number;
  /** Aborts the request early (the notifier closing). */
  readonly cancel: AbortSignal;
}

/** POSTs `body` as JSON; the request is aborted after `timeoutMs` or when `cancel` fires. */
export async function postWebhook(req: PostRequest): Promise<PostOutcome> {
  if (req.cancel.aborted) return failure('cancelled: the notifier was closed', false);
  // One controller per request, fed by both signals; the listener on the long-lived `cancel` is removed
  // after each request (AbortSignal.any would tie every request's signal to it).
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const controller = new AbortController();
  const signal = controller.signal;
  const abort = () => controller.abort();
  timeout.addEventListener('abort', abort, { once: true });
  req.cancel.addEventListener('abort', abort, { once: true });
  try {
    const res = await req.fetch(req.url.reveal(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'hybrid-trader (notifications)' },
      body: req.body,
      signal,
      // A redirect could carry the body somewhere unexpected; webhooks answer directly.
      redirect: 'manual',
    });
    // Free the connection: the body (Discord's 204 has none, Slack's "ok") is not needed.
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    const retryable = res.status === 429 || res.status >= 500;
    return {
      ok: false,
      retryable,
      reason: `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirect not followed)' : ''}`,
      status: res.status,
      retryAfterMs: retryable ? parseRetryAfter(res.headers.get('retry-after')) : null,
    };
  } catch (error) {
    if (req.cancel.aborted) return failure('cancelled: the notifier was closed', false);
    if (timeout.aborted) return failure(`timed out after ${req.timeoutMs} ms`, false);
    return failure(req.url.scrub(`network error: ${describeNetworkError(error)}`), true);
  } finally {
    timeout.removeEventListener('abort', abort);
    req.cancel.removeEventListener('abort', abort);
  }
}

function failure(reason: string, retryable: boolean): PostOutcome {
  return { ok: false, retryable, reason, status: null, retryAfterMs: null };
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/** fetch's "fetch failed" says nothing: the cause's code (ECONNREFUSED...) does. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

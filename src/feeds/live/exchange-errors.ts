// What went wrong with an exchange request, told apart by ccxt's error classes: retry it, or fix the configuration.
import { ConfigError, DataError, type HybridTraderError } from '../../core/errors.js';

/** Failures worth a retry (the exchange or the path to it is having a bad moment). */
export type RetryableKind =
  | 'rate-limit' // HTTP 429 / 418, ccxt DDoSProtection, RateLimitExceeded
  | 'server-error' // HTTP 5xx or maintenance, ccxt ExchangeNotAvailable
  | 'timeout' // ccxt RequestTimeout
  | 'network' // connection refused / reset, DNS: other ccxt NetworkError
  | 'malformed-response' // a body that is not the JSON expected: ccxt BadResponse
  | 'exchange-error'; // any other error the exchange answered with (an unknown code)

const CODE: Record<RetryableKind, string> = {
  'rate-limit': 'EXCHANGE_RATE_LIMITED',
  'server-error': 'EXCHANGE_SERVER_ERROR',
  timeout: 'EXCHANGE_TIMEOUT',
  network: 'EXCHANGE_NETWORK',
  'malformed-response': 'EXCHANGE_MALFORMED_RESPONSE',
  'exchange-error': 'EXCHANGE_ERROR',
};

/** A short phrase for log lines ("rate limited (HTTP 429)"). */
export const KIND_TEXT: Record<RetryableKind, string> = {
  'rate-limit': 'rate limited',
  'server-error': 'server error',
  timeout: 'request timed out',
  network: 'network error',
  'malformed-response': 'malformed response',
  'exchange-error': 'exchange error',
};

/** Names of the classes in an error's prototype chain, most derived first (ccxt's classes keep their names). */
function classNames(error: object): string[] {
  const names: string[] = [];
  for (
    let p = Object.getPrototypeOf(error);
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  )
    names.push((p.constructor as { name?: string }).name ?? '');
  return names;
}

/** The HTTP status a message names as `HTTP 503` (the client writes it so), or null. */
export function httpStatusOf(message: string): number | null {
  const match = /\bHTTP (\d{3})\b/.exec(message);
  return match ? Number(match[1]) : null;
}

/**
 * Translates an error thrown by ccxt into ours: a retryable DataError (code `EXCHANGE_*`, context
 * `{retryable: true, kind, httpStatus}`), or a ConfigError for what no retry can fix (an unknown symbol:
 * `SYMBOL_UNKNOWN_ON_EXCHANGE`; a request the exchange refuses for want of keys or permission:
 * `EXCHANGE_REFUSED`). Anything that is not a ccxt error is returned unchanged (a bug, not the exchange).
 */
export function translateExchangeError(error: unknown, what: string): unknown {
  if (!(error instanceof Error)) return error;
  const names = classNames(error);
  const has = (name: string) => names.includes(name);
  if (!has('BaseError')) return error; // not from ccxt
  const detail = error.message.length > 300 ? `${error.message.slice(0, 300)}...` : error.message;
  if (has('BadSymbol'))
    return new ConfigError(
      'SYMBOL_UNKNOWN_ON_EXCHANGE',
      `${what}: the exchange does not list it (${detail})`,
      {
        cause: detail,
      },
    );
  if (
    has('AuthenticationError') ||
    has('PermissionDenied') ||
    has('NotSupported') ||
    has('RestrictedLocation') ||
    has('BadRequest')
  )
    return new ConfigError('EXCHANGE_REFUSED', `${what}: the exchange refused the request (${detail})`, {
      cause: detail,
    });
  const kind: RetryableKind =
    has('DDoSProtection') || has('RateLimitExceeded')
      ? 'rate-limit'
      : has('ExchangeNotAvailable')
        ? 'server-error'
        : has('RequestTimeout')
          ? 'timeout'
          : has('BadResponse')
            ? 'malformed-response'
            : has('OperationFailed')
              ? 'network'
              : 'exchange-error';
  const httpStatus = httpStatusOf(error.message);
  const status = httpStatus === null ? '' : ` (HTTP ${httpStatus})`;
  return new DataError(CODE[kind], `${what}: ${KIND_TEXT[kind]}${status}: ${detail}`, {
    retryable: true,
    kind,
    httpStatus,
  });
}

/** The kind of a retryable exchange failure, or null for any other error. */
export function retryableKind(error: unknown): RetryableKind | null {
  if (!(error instanceof DataError) || error.context['retryable'] !== true) return null;
  return error.context['kind'] as RetryableKind;
}

/** A retryable exchange failure built directly (fake clients, malformed payloads found after ccxt). */
export function exchangeFailure(
  kind: RetryableKind,
  message: string,
  httpStatus: number | null = null,
): HybridTraderError {
  return new DataError(CODE[kind], message, { retryable: true, kind, httpStatus });
}

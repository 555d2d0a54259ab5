import {
  BadResponse,
  BadSymbol,
  DDoSProtection,
  ExchangeError,
  ExchangeNotAvailable,
  NetworkError,
  NotSupported,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import { httpStatusOf, retryableKind, translateExchangeError } from './exchange-errors.js';

const kindOf = (error: Error) => retryableKind(translateExchangeError(error, 'req'));

describe('translateExchangeError', () => {
  it('sorts ccxt errors into retryable kinds', () => {
    expect(kindOf(new RateLimitExceeded('x HTTP 429 Too Many Requests'))).toBe('rate-limit');
    expect(kindOf(new DDoSProtection('binance 418'))).toBe('rate-limit');
    expect(kindOf(new ExchangeNotAvailable('x HTTP 503'))).toBe('server-error');
    expect(kindOf(new RequestTimeout('timed out'))).toBe('timeout');
    expect(kindOf(new NetworkError('fetch failed: other side closed'))).toBe('network');
    expect(kindOf(new BadResponse('malformed JSON'))).toBe('malformed-response');
    expect(kindOf(new ExchangeError('binance {"code":-1234}'))).toBe('exchange-error');
  });

  it('a retryable failure is a DataError with a stable code, the kind and the HTTP status', () => {
    const e = translateExchangeError(
      new RateLimitExceeded('binance GET u HTTP 429 Too Many Requests: {}'),
      'BTC/USDT candles',
    );
    expect(e).toBeInstanceOf(DataError);
    expect(e).toMatchObject({
      code: 'EXCHANGE_RATE_LIMITED',
      context: { retryable: true, kind: 'rate-limit', httpStatus: 429 },
      message: 'BTC/USDT candles: rate limited (HTTP 429): binance GET u HTTP 429 Too Many Requests: {}',
    });
  });

  it('an unknown symbol or a refused request is a ConfigError: no retry fixes it', () => {
    const bad = translateExchangeError(
      new BadSymbol('binance does not have market symbol FOO/USDT'),
      'FOO/USDT candles',
    );
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad).toMatchObject({ code: 'SYMBOL_UNKNOWN_ON_EXCHANGE' });
    expect(retryableKind(bad)).toBeNull();
    expect(translateExchangeError(new NotSupported('needs keys'), 'x')).toMatchObject({
      code: 'EXCHANGE_REFUSED',
    });
  });

  it('leaves errors that are not ccxt errors alone (bugs are not retried)', () => {
    const bug = new TypeError('undefined is not a function');
    expect(translateExchangeError(bug, 'x')).toBe(bug);
    expect(retryableKind(bug)).toBeNull();
  });

  it('reads the HTTP status only where written as "HTTP nnn" (not from a URL\'s limit=500)', () => {
    expect(httpStatusOf('GET /klines?limit=500 HTTP 503 Service Unavailable')).toBe(503);
    expect(httpStatusOf('GET /klines?limit=500 fetch failed')).toBeNull();
  });
});

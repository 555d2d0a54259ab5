import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { resolveExchangeConfig } from './exchange-config.js';

describe('exchange configuration', () => {
  it('has a default for every key', () => {
    const c = resolveExchangeConfig({});
    expect(c).toMatchObject({
      id: 'binance',
      timeframe: '1h',
      pollDelaySeconds: 10,
      repollSeconds: 15,
      missingBarDeadlineSeconds: 600,
      warmupBars: 1_000,
      startupDeadlineSeconds: 300,
      requestTimeoutMs: 10_000,
      retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.5 },
    });
    expect(c.apiUrl).toBeUndefined();
    expect(c.symbols[0]).toBe('BTC/USDT');
  });

  it('refuses bad values naming the field', () => {
    const refused = (input: object) => {
      try {
        resolveExchangeConfig(input as never);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused({ timeframe: '1w' })).toBe(
      'exchange configuration: field "exchange.timeframe": timeframe must look like 15m, 1h, 4h or 1d',
    );
    expect(refused({ symbols: ['A/B', 'A/B'] })).toBe(
      'exchange configuration: field "exchange.symbols": symbols must be unique',
    );
    expect(refused({ apiUrl: 'ftp://x' })).toMatch(/field "exchange\.apiUrl": /);
    expect(refused({ retry: { jitter: 2 } })).toMatch(/field "exchange\.retry\.jitter": .*\(was 2\)/);
    expect(refused({ unknownKey: 1 })).toMatch(/field "exchange\.unknownKey": unknown key/);
  });
});

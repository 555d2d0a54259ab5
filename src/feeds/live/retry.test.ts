import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { exchangeFailure } from './exchange-errors.js';
import { withRetry } from './retry.js';

function context(maxAttempts = 4) {
  const slept: number[] = [];
  const lines: string[] = [];
  const log = (msg: string) => void lines.push(msg);
  return {
    slept,
    lines,
    ctx: {
      policy: { maxAttempts, baseDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0 },
      minDelayMs: 50,
      sleep: async (ms: number) => void slept.push(ms),
      random: () => 0.5,
      logger: { info: log, warn: log, error: log },
    },
  };
}

describe('withRetry', () => {
  it('retries retryable failures with backoff, logging each, until one succeeds', async () => {
    const { ctx, slept, lines } = context();
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      if (calls < 3) throw exchangeFailure('server-error', 'x: server error', 500);
      return 'ok';
    }, ctx);
    expect(result).toBe('ok');
    expect(slept).toEqual([1_000, 2_000]);
    expect(lines).toEqual([
      'exchange request failed (server error, HTTP 500), retry 1 of 3 in 1.0 s',
      'exchange request failed (server error, HTTP 500), retry 2 of 3 in 2.0 s',
    ]);
  });

  it('throws the last failure once the attempts are used up', async () => {
    const { ctx, slept } = context(3);
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw exchangeFailure('network', `attempt ${calls}`);
      }, ctx),
    ).rejects.toThrow('attempt 3');
    expect(slept).toHaveLength(2);
  });

  it('does not retry a ConfigError or a bug', async () => {
    const { ctx, slept } = context();
    await expect(
      withRetry(async () => Promise.reject(new ConfigError('X', 'bad symbol')), ctx),
    ).rejects.toThrow('bad symbol');
    await expect(withRetry(async () => Promise.reject(new TypeError('bug')), ctx)).rejects.toThrow('bug');
    expect(slept).toEqual([]);
  });

  it('stops at once when the signal is aborted', async () => {
    const { ctx } = context();
    const abort = new AbortController();
    abort.abort(new Error('closed'));
    await expect(withRetry(async () => 'never', { ...ctx, signal: abort.signal })).rejects.toThrow('closed');
  });
});

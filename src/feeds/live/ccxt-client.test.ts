import { describe, expect, it } from 'vitest';
import { createCcxtClient, rebaseApiUrls } from './ccxt-client.js';

describe('rebaseApiUrls', () => {
  it('replaces scheme and host of every endpoint and keeps the paths', () => {
    const api = {
      public: 'https://api.binance.com/api/v3',
      fapiPublic: 'https://fapi.binance.com/fapi/v1',
      nested: { rest: 'https://api.{hostname}/v5' },
    };
    expect(rebaseApiUrls(api, 'http://127.0.0.1:8999/')).toEqual({
      public: 'http://127.0.0.1:8999/api/v3',
      fapiPublic: 'http://127.0.0.1:8999/fapi/v1',
      nested: { rest: 'http://127.0.0.1:8999/v5' },
    });
  });

  it('keeps a path prefix of the base URL (a proxy) and handles a plain string', () => {
    expect(rebaseApiUrls('https://api.kraken.com', 'https://proxy.local/kraken')).toBe(
      'https://proxy.local/kraken',
    );
    expect(rebaseApiUrls({ public: 'https://api.kraken.com/0' }, 'https://proxy.local/kraken')).toEqual({
      public: 'https://proxy.local/kraken/0',
    });
  });
});

describe('createCcxtClient', () => {
  it('refuses an id ccxt does not know with a ConfigError', async () => {
    await expect(createCcxtClient({ exchangeId: 'nosuchexchange' })).rejects.toMatchObject({
      code: 'EXCHANGE_UNKNOWN',
      message: 'exchange "nosuchexchange" is not a ccxt exchange id (e.g. binance, kraken)',
    });
  });

  it('takes the rate limit and the page size of spot candles from ccxt', async () => {
    const client = await createCcxtClient({ exchangeId: 'binance', apiUrl: 'http://127.0.0.1:1' });
    expect(client.exchangeId).toBe('binance');
    expect(client.rateLimitMs).toBe(50);
    expect(client.pageLimit).toBe(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { symbolFromFileName } from './symbol-name.js';

describe('symbolFromFileName', () => {
  it('turns BASE_QUOTE-timeframe names into BASE/QUOTE', () => {
    expect(symbolFromFileName('data/BTC_USDT-1h.csv')).toBe('BTC/USDT');
    expect(symbolFromFileName('SOL_USDT_15m.json')).toBe('SOL/USDT');
    expect(symbolFromFileName('/abs/ETH_USDT.csv')).toBe('ETH/USDT');
  });

  it('keeps a plain stem as it is', () => {
    expect(symbolFromFileName('data/btc.csv')).toBe('btc');
    expect(symbolFromFileName('BTCUSDT')).toBe('BTCUSDT');
    expect(symbolFromFileName('1h.csv')).toBe('1h');
  });
});

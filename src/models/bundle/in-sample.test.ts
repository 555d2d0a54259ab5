import { describe, expect, it } from 'vitest';
import { sliceMarketData } from '../../market/market-data.js';
import { generateSyntheticMarket } from '../../market/synth.js';
import { marketDataHash } from './data-hash.js';
import { inSampleFinding } from './in-sample.js';

const market = generateSyntheticMarket({ seed: 3, bars: 600, symbols: ['BTC/USDT', 'ETH/USDT'] });
const iso = (k: number) => new Date(market.ts[k]!).toISOString();

/** A model trained on frames [0, 300) and validated on [200, 250) and [250, 300) of `market`. */
const manifest = {
  study: 's',
  trialNumber: 4,
  dataHash: marketDataHash(market, 0, 300),
  trainingWindow: [iso(0), iso(299)] as [string, string],
  validationWindows: [
    [iso(200), iso(249)],
    [iso(250), iso(299)],
  ] as [string, string][],
};

describe('inSampleFinding', () => {
  it('finds nothing in a window after every bar the model saw', () => {
    expect(inSampleFinding(manifest, market, 300, 600)).toBeNull();
  });

  it('counts the bars of the window the model was trained or validated on, once each, on the same bars', () => {
    const f = inSampleFinding(manifest, market, 280, 400);
    expect(f).toEqual({
      study: 's',
      trialNumber: 4,
      windows: [
        { role: 'training', from: iso(0), to: iso(299) },
        { role: 'validation', from: iso(250), to: iso(299) },
      ],
      bars: 20,
      hours: 20,
      outOfSampleFrom: iso(300),
      evidence: 'same-bars',
    });
  });

  it('is not in-sample on other bars over the same dates (another market: the data hash differs)', () => {
    const other = generateSyntheticMarket({ seed: 4, bars: 600, symbols: ['BTC/USDT', 'ETH/USDT'] });
    expect(inSampleFinding(manifest, other, 0, 600)).toBeNull();
  });

  it('counts the dates when the run data does not hold the whole training window', () => {
    const later = sliceMarketData(market, 100, 600);
    const f = inSampleFinding(manifest, later, 0, 300);
    expect(f?.evidence).toBe('same-dates');
    expect(f?.bars).toBe(200); // frames 100..299 of the original market
  });

  it('reads validation windows alone when the model records no training window', () => {
    const f = inSampleFinding({ ...manifest, trainingWindow: null }, market, 0, 600);
    expect(f?.windows.map((w) => w.role)).toEqual(['validation', 'validation']);
    expect(f?.bars).toBe(100);
    expect(f?.evidence).toBe('same-dates');
  });

  it('reuses the hash of a training range across models', () => {
    const hashes = new Map<string, string>();
    inSampleFinding(manifest, market, 0, 600, hashes);
    expect([...hashes.keys()]).toEqual(['0:300']);
    hashes.set('0:300', manifest.dataHash);
    expect(inSampleFinding({ ...manifest, trialNumber: 5 }, market, 0, 600, hashes)?.trialNumber).toBe(5);
  });
});

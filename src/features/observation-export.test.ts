// Exported observation rows: the served observation of every frame, the training window's normalisation only.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { generateSyntheticMarket } from '../market/synth.js';
import { createFeatureStore, updateFeatures } from './feature-store.js';
import { fitNormalisation } from './normalisation.js';
import {
  buildObservation,
  firstObservableIndex,
  type ObservationSpec,
  observationSize,
} from './observation.js';
import { buildObservationRows } from './observation-export.js';

const market = generateSyntheticMarket({ bars: 400, seed: 9 });
const spec: ObservationSpec = {
  symbols: market.symbols,
  features: ['ret_4', 'cci_14', 'vol_24'],
  lookback: 3,
};
const size = observationSize(spec);
const n = spec.symbols.length;

describe('observation export', () => {
  it('holds, for each observable frame of the window, what buildObservation serves with an all-cash portfolio', () => {
    const out = buildObservationRows(market, spec, { from: 10, to: 300 });
    const first = firstObservableIndex(spec);
    expect(out.ts.length).toBe(300 - first);
    expect(out.ts[0]).toBe(market.ts[first]);
    const store = createFeatureStore(market, spec.features);
    updateFeatures(store, market);
    const norm = fitNormalisation(store, 10, 300);
    expect(out.normalisation).toEqual(norm);
    const cash = new Float64Array(1 + n);
    cash[0] = 1;
    const row = new Float64Array(size);
    for (const t of [first, 150, 299]) {
      buildObservation(store, spec, norm, t, cash, row);
      const r = t - first;
      expect(Array.from(out.rows.subarray(r * size, (r + 1) * size))).toEqual(Array.from(row));
      for (let i = 0; i < n; i++) expect(out.closes[r * n + i]).toBe(market.close[t * n + i]);
    }
  });

  it('fits the normalisation on the window only: bars after it change no row', () => {
    const a = buildObservationRows(market, spec, { from: 50, to: 250 });
    const shocked = generateSyntheticMarket({ bars: 400, seed: 9 });
    for (let k = 250 * n; k < shocked.length * n; k++) {
      shocked.close[k] = shocked.close[k]! * 3;
      shocked.high[k] = shocked.high[k]! * 3;
      shocked.open[k] = shocked.open[k]! * 3;
      shocked.low[k] = shocked.low[k]! * 3;
    }
    const b = buildObservationRows(shocked, spec, { from: 50, to: 250 });
    expect(b.normalisation).toEqual(a.normalisation);
    expect(b.rows).toEqual(a.rows);
  });

  it('uses a given normalisation as it is (a later window as the model will see it)', () => {
    const training = buildObservationRows(market, spec, { from: 0, to: 200 });
    const later = buildObservationRows(
      market,
      spec,
      { from: 200, to: 400 },
      { normalisation: training.normalisation },
    );
    expect(later.fitted).toBe(false);
    expect(later.normalisation).toBe(training.normalisation);
    expect(later.ts[0]).toBe(market.ts[200]);
  });

  it('refuses a window without an observable frame', () => {
    const first = firstObservableIndex(spec);
    expect(() => buildObservationRows(market, spec, { from: 0, to: first })).toThrow(ConfigError);
    expect(() => buildObservationRows(market, spec, { from: 0, to: first })).toThrow(
      /first observable frame is 26/,
    );
  });
});

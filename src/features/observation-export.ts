// The observation rows a model will be served, computed by the serving code, for training outside hybrid-trader.
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { MarketData } from '../market/market-data.js';
import { createFeatureStore, updateFeatures } from './feature-store.js';
import { fitNormalisation, type Normalisation, normalisationSchema } from './normalisation.js';
import {
  buildObservation,
  firstObservableIndex,
  type ObservationSpec,
  observationSize,
  observationSpecSchema,
} from './observation.js';

/** The observed rows of frames [first, to) and what a trainer needs beside them. */
export interface ObservationRows {
  readonly spec: ObservationSpec;
  readonly size: number;
  /** rows x size, row-major: each row is what `buildObservation` writes for its frame. */
  readonly rows: Float64Array;
  /** rows x nSymbols: the close of each symbol at the row's frame (rewards are computed from these). */
  readonly closes: Float64Array;
  /** Frame open time (epoch ms) of each row. */
  readonly ts: number[];
  /** Normalisation applied: fitted on [from, to), or the one given. */
  readonly normalisation: Normalisation;
  readonly fitted: boolean;
  /** First and end (exclusive) frame of the window asked for; rows start at max(from, first observable). */
  readonly from: number;
  readonly to: number;
}

/**
 * The observation of every frame t in [from, to) that can be observed (t >= firstObservableIndex(spec)),
 * built exactly as a policy is served: one feature store over the market, `buildObservation` with the
 * normalisation. The portfolio part of each row (cash, then one weight per symbol) is an all-cash
 * portfolio [1, 0, ..., 0]: at run time the simulator writes the model's current weights there.
 * The normalisation is `normalisation` when given (e.g. a bundle's, to export a later window as the model
 * will see it), else fitted on frames [from, to), the training window, and never on a later frame.
 * Throws ConfigError EXPORT_WINDOW_EMPTY when no frame of the window can be observed, and the errors of
 * createFeatureStore (unknown feature) and buildObservation (a feature missing from `normalisation`).
 */
export function buildObservationRows(
  market: MarketData,
  spec: ObservationSpec,
  window: { from: number; to: number },
  options: { normalisation?: Normalisation; clip?: number } = {},
): ObservationRows {
  const { from, to } = window;
  const first = Math.max(from, firstObservableIndex(spec));
  if (to <= first)
    throw new ConfigError(
      'EXPORT_WINDOW_EMPTY',
      `no frame of [${from}, ${to}) can be observed: the first observable frame is ${firstObservableIndex(spec)} (warm-up + lookback ${spec.lookback} - 1) and the data has ${market.length} frames`,
      { from, to, first },
    );
  const store = createFeatureStore(market, spec.features, to);
  updateFeatures(store, market);
  const normalisation = options.normalisation ?? fitNormalisation(store, from, to, { clip: options.clip });
  const n = spec.symbols.length;
  const size = observationSize(spec);
  const count = to - first;
  const rows = new Float64Array(count * size);
  const closes = new Float64Array(count * n);
  const ts: number[] = [];
  const cash = new Float64Array(1 + n);
  cash[0] = 1;
  const symbolIndex = spec.symbols.map((s) => market.symbols.indexOf(s));
  const marketN = market.symbols.length;
  for (let t = first; t < to; t++) {
    const r = t - first;
    buildObservation(store, spec, normalisation, t, cash, rows.subarray(r * size, (r + 1) * size));
    for (let i = 0; i < n; i++) closes[r * n + i] = market.close[t * marketN + symbolIndex[i]!]!;
    ts.push(market.ts[t]!);
  }
  return {
    spec,
    size,
    rows,
    closes,
    ts,
    normalisation,
    fitted: options.normalisation === undefined,
    from,
    to,
  };
}

/** A companion array of an export: its file name (beside the sidecar), shape and sha256. */
const ArrayFileSchema = z.strictObject({
  file: z.string().min(1),
  dtype: z.literal('float64'),
  shape: z.array(z.number().int().nonnegative()),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * The JSON sidecar of an observation export (`<out>.json` beside `<out>.npy`): what each column is, the
 * normalisation, which bars. A bundle written from a model trained on these rows copies its observation
 * contract (symbols, timeframe, features, lookback, normalisation, data hash) from here.
 */
export const ObservationExportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  format: z.literal('hybrid-trader observations'),
  observations: ArrayFileSchema,
  closes: ArrayFileSchema,
  spec: observationSpecSchema,
  timeframe: z.string(),
  observationSize: z.number().int().positive(),
  layout: z.strictObject({
    portfolio: z.strictObject({
      columns: z.tuple([z.number().int(), z.number().int()]),
      exported: z.string(),
    }),
    features: z.strictObject({ columns: z.tuple([z.number().int(), z.number().int()]), order: z.string() }),
  }),
  normalisation: normalisationSchema,
  /** "fitted on the exported window" or the file the normalisation was read from. */
  normalisationSource: z.string(),
  rows: z.strictObject({
    count: z.number().int().nonnegative(),
    /** Frame open time (epoch ms) of each row. */
    ts: z.array(z.number()),
  }),
  /** [first, last] bar open time (ISO) of the rows: the training window when the normalisation was fitted here. */
  window: z.tuple([z.string(), z.string()]),
  data: z.strictObject({ source: z.string(), hash: z.string() }),
  packageVersion: z.string(),
});
export type ObservationExport = z.infer<typeof ObservationExportSchema>;

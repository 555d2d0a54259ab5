// The built-in synthetic market: public API of src/market/synth/ (model in docs/synthetic-market.md).
export {
  generateSyntheticMarket,
  generateSyntheticMarketWithRegimes,
  type SyntheticMarket,
} from './synth/generate.js';
export {
  DEFAULT_SYNTH_BARS,
  DEFAULT_SYNTH_SEED,
  DEFAULT_SYNTH_START_TS,
  DEFAULT_SYNTH_TIMEFRAME_MS,
  MAX_SYNTH_BARS,
  type ResolvedSynthOptions,
  resolveSynthOptions,
  type SynthOptions,
  synthOptionsSchema,
} from './synth/options.js';
export { REGIME_NAMES, Regime } from './synth/params.js';
export { type AssetProfile, assetProfile, DEFAULT_SYNTH_SYMBOLS } from './synth/universe.js';

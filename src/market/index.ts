// Public API of market data: bars, aligned frames, loaders, the synthetic market, --data resolution.
export { type Bar, barProblem, createBar } from './bar.js';
export { formatMarketCsv, PLAIN_CSV_HEADER } from './csv-writer.js';
export {
  type DataReport,
  DataReportSchema,
  type LoadedMarket,
  type LoadMarketOptions,
  loadMarketFiles,
} from './load-market.js';
export {
  appendFrame,
  barAt,
  createMarketData,
  indexAtOrAfter,
  isoTs,
  type MarketData,
  selectSymbols,
  sliceMarketData,
} from './market-data.js';
export { BUILTIN_DATA, loadMarketSource, type MarketSourceOptions } from './source.js';
export * from './synth.js';

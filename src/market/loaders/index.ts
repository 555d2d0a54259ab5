// Public API of the market data loaders: the pipeline on file contents, the report schema and its text.
export type { IncompleteFrames } from './align-frames.js';
export type { Gap } from './bar-spacing.js';
export { type DataReport, DataReportSchema, type FileReport } from './data-report.schema.js';
export { readTimestamp, SECONDS_LIMIT, type TimestampUnit } from './field-values.js';
export {
  type LoadedMarket,
  type LoadMarketOptions,
  loadMarketSources,
  type MarketSource,
} from './load-sources.js';
export { LoadErrorCode, type SourceRef } from './refusal.js';
export { formatDataReport } from './report-text.js';
export { LAYOUTS, type Layout } from './source-row.js';
export { symbolFromFileName } from './symbol-name.js';

// Public API of features/: the feature registry, the incremental feature store, normalisation and observations.
export { AtrKernel } from './atr.js';
export { CciKernel } from './cci.js';
export { DxKernel } from './dx.js';
export type { BarColumns, FeatureKernel } from './feature-kernel.js';
export {
  FEATURE_NAMES,
  type FeatureDefinition,
  featureDefinition,
  maxWarmUp,
  resolveFeatures,
} from './feature-registry.js';
export {
  createFeatureStore,
  type FeatureStore,
  featureOffset,
  featureValue,
  updateFeatures,
} from './feature-store.js';
export { LogReturnKernel } from './log-return.js';
export { MacdKernel } from './macd.js';
export {
  DEFAULT_CLIP,
  fitNormalisation,
  MIN_STD,
  type Normalisation,
  normalisationSchema,
  normaliseValue,
} from './normalisation.js';
export { decodeNpy, encodeNpy } from './npy.js';
export {
  buildObservation,
  firstObservableIndex,
  type ObservationSpec,
  observationSize,
  observationSpecSchema,
} from './observation.js';
export {
  buildObservationRows,
  type ObservationExport,
  ObservationExportSchema,
  type ObservationRows,
} from './observation-export.js';
export { RollingVolKernel, VolumeZKernel } from './rolling-stats.js';
export { RsiKernel } from './rsi.js';
export { createSharedFeatureStores, type SharedFeatureStores } from './shared-feature-stores.js';

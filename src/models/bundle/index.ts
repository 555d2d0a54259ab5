// Public API of model bundles: manifests (one schema per kind, see models/kinds.ts), atomic immutable
// folders, loading with compatibility checks, and every file of a bundle with its hash.

export {
  kindOf,
  type Manifest,
  ManifestSchema,
  MODEL_KINDS,
  type ModelKindName,
  TRAINING_OPTIONS,
} from '../kinds.js';
export {
  BUNDLE_TMP_PREFIX,
  type BundleFileHash,
  type BundleOnDisk,
  bundleFileHashes,
  readBundle,
  readManifest,
  sweepBundleTemps,
  writeBundle,
} from './bundle-files.js';
export { assertBundleFitsMarket, assertObservationFits, type MarketShape } from './compatibility.js';
export { marketDataHash } from './data-hash.js';
export { type InSampleFinding, inSampleFinding, type RangeHashes, type SeenWindow } from './in-sample.js';
export { type LoadedModel, type LoadOptions, loadModelBundle } from './load-bundle.js';
export {
  BUNDLE_SCHEMA_VERSION,
  type CommonManifest,
  commonFieldsOf,
  type KindFields,
  MANIFEST_FILE,
} from './manifest.js';
export { decodeNetwork, encodeNetwork, layerSizes } from './network-codec.js';
export { sha256Hex } from './sha256.js';

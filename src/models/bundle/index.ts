// Public API of model bundles: manifests, atomic immutable folders, loading with compatibility checks.
export {
  BUNDLE_TMP_PREFIX,
  type BundleOnDisk,
  readBundle,
  readManifestJson,
  sha256Hex,
  sweepBundleTemps,
  writeBundle,
} from './bundle-files.js';
export { assertBundleFitsMarket, type MarketShape } from './compatibility.js';
export { marketDataHash } from './data-hash.js';
export { createEnsemblePolicy, type EnsembleMember } from './ensemble-policy.js';
export { type LoadedModel, type LoadOptions, loadModelBundle, readAnyManifest } from './load-bundle.js';
export {
  BUNDLE_SCHEMA_VERSION,
  MANIFEST_FILE,
  type Manifest,
  ManifestSchema,
  type ModelKind,
  type NetworkSpec,
  WEIGHTS_FILE,
} from './manifest.js';
export { decodeNetwork, encodeNetwork, layerSizes } from './network-codec.js';

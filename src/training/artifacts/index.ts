// Public API of artifacts: how a trial's bundle reaches hosts that never saw it (a store, a record, fetch).
export {
  ARTIFACT_ATTR,
  type ArtifactRecord,
  ArtifactRecordSchema,
  type ArtifactStore,
  type ArtifactStoreKind,
  bundleDigest,
} from './artifact-store.js';
export { describeBundle, fetchBundle, publishBundle } from './bundle-artifacts.js';
export { FileArtifactStore } from './file-artifact-store.js';
export { type ArtifactsSpec, openArtifactStore } from './open-artifact-store.js';
export { TrialBundles, type TrialBundlesOptions } from './trial-bundles.js';

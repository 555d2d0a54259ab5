// Loads a ModelRef's policy from its bundle for the market being traded, with the compatibility checks.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createSharedFeatureStores } from '../features/index.js';
import type { ModelRef, PolicyLoader } from '../lifecycle/contracts.js';
import type { MarketData } from '../market/market-data.js';
import { loadModelBundle, MANIFEST_FILE, WEIGHTS_FILE } from '../models/bundle/index.js';
import type { Policy } from '../models/index.js';
import { ONNX_MODEL_FILE } from '../models/onnx/index.js';

/**
 * A PolicyLoader for `market` (its symbols, order and timeframe); ensemble members resolve under root/models.
 * A model loaded again while its bundle's files are unchanged (the deployed model's arena shadow, a replaced
 * champion coming back as a challenger) gets the policy loaded before: a policy is a pure function of the
 * bars and its portfolio's weights, so sharing it changes no decision, and its caches (moving sums, features
 * from the first bar) are not rebuilt. The same object is returned; policies nobody holds are let go.
 */
export function createPolicyLoader(
  root: string,
  market: Pick<MarketData, 'symbols' | 'timeframeMs'>,
): PolicyLoader {
  const modelsRoot = join(root, 'models');
  // one feature store per feature list for every network model of this market, ensemble members included
  const featureStores = createSharedFeatureStores();
  const loaded = new Map<string, { readonly stamp: string; readonly policy: WeakRef<Policy> }>();
  return (ref: ModelRef) => {
    const stamp = bundleStamp(ref.modelPath);
    const known = loaded.get(ref.modelPath);
    const policy = known?.stamp === stamp ? known.policy.deref() : undefined;
    if (policy !== undefined) return policy.name === ref.modelId ? policy : { ...policy, name: ref.modelId };
    const bundle = loadModelBundle(ref.modelPath, market, { modelsRoot, featureStores });
    const named = { ...bundle.policy, name: ref.modelId };
    // an ensemble also depends on its members' bundles: loaded afresh each time
    if (stamp !== null && bundle.manifest.kind !== 'ensemble')
      loaded.set(ref.modelPath, { stamp, policy: new WeakRef(named) });
    else loaded.delete(ref.modelPath);
    return named;
  };
}

/**
 * The identity of a bundle's files (inode, size, mtime): bundles are immutable, but one deleted and written
 * again at the same path gets new files, hence a new stamp. Null when the manifest cannot be read.
 */
function bundleStamp(dir: string): string | null {
  const manifest = statSync(join(dir, MANIFEST_FILE), { bigint: true, throwIfNoEntry: false });
  if (manifest === undefined) return null;
  const id = (s: typeof manifest | undefined) => (s ? `${s.ino}:${s.size}:${s.mtimeNs}` : '-');
  const file = (name: string) => id(statSync(join(dir, name), { bigint: true, throwIfNoEntry: false }));
  return `${id(manifest)}/${file(WEIGHTS_FILE)}/${file(ONNX_MODEL_FILE)}`;
}

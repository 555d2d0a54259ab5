// Loads a ModelRef's policy from its bundle for the market being traded, with the compatibility checks.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fromWorkspacePath } from '../core/workspace-path.js';
import { createSharedFeatureStores } from '../features/index.js';
import type { ModelRef, PolicyLoader } from '../lifecycle/contracts.js';
import type { MarketData } from '../market/market-data.js';
import { type BundleFileHash, bundleFileHashes, loadModelBundle } from '../models/bundle/index.js';
import type { Policy } from '../models/index.js';

/**
 * A PolicyLoader for `market` (its symbols, order and timeframe); ensemble members resolve under root/models.
 * A model loaded again while every file of its bundle has the same content (bundleFileHashes: manifest, the
 * kind's files, an ensemble's members' files) gets the policy loaded before: the deployed model's arena
 * shadow, a replaced champion coming back as a challenger. A policy is a pure function of the bars and its
 * portfolio's weights, so sharing it changes no decision, and its caches (moving sums, features from the
 * first bar) are not rebuilt. The same object is returned; policies nobody holds are let go.
 */
export function createPolicyLoader(
  root: string,
  market: Pick<MarketData, 'symbols' | 'timeframeMs'>,
): PolicyLoader {
  const modelsRoot = join(root, 'models');
  // one feature store per feature list for every network model of this market, ensemble members included
  const featureStores = createSharedFeatureStores();
  const contentKey = bundleContentKeys(modelsRoot);
  const loaded = new Map<string, { readonly key: string; readonly policy: WeakRef<Policy> }>();
  return (ref: ModelRef) => {
    const dir = fromWorkspacePath(root, ref.modelPath);
    const key = contentKey(dir);
    const known = loaded.get(dir);
    const policy = key !== null && known?.key === key ? known.policy.deref() : undefined;
    if (policy !== undefined) return policy.name === ref.modelId ? policy : { ...policy, name: ref.modelId };
    const bundle = loadModelBundle(dir, market, { modelsRoot, featureStores });
    const named = { ...bundle.policy, name: ref.modelId };
    if (key !== null) loaded.set(dir, { key, policy: new WeakRef(named) });
    else loaded.delete(dir);
    return named;
  };
}

/**
 * The content key of a bundle: the sha256 of every file it depends on (bundleFileHashes), or null when it
 * cannot be read (loading it then says why). The files are hashed again only when one of them changed
 * on disk (inode, size, mtime), so asking costs a few stat calls: bundles are immutable, and one deleted and
 * written again at the same path gets new files.
 */
function bundleContentKeys(modelsRoot: string): (dir: string) => string | null {
  const known = new Map<
    string,
    { readonly stamps: string; readonly key: string; readonly files: string[] }
  >();
  const stampsOf = (paths: readonly string[]) =>
    paths
      .map((p) => {
        const s = statSync(p, { bigint: true, throwIfNoEntry: false });
        return s ? `${s.ino}:${s.size}:${s.mtimeNs}` : '-';
      })
      .join('/');
  return (dir) => {
    const memo = known.get(dir);
    if (memo && stampsOf(memo.files) === memo.stamps) return memo.key;
    let hashes: BundleFileHash[];
    try {
      hashes = bundleFileHashes(dir, modelsRoot);
    } catch {
      known.delete(dir);
      return null;
    }
    const files = hashes.map((h) => join(h.bundle, h.file));
    const key = hashes.map((h) => `${h.file}=${h.sha256}`).join(',');
    known.set(dir, { stamps: stampsOf(files), key, files });
    return key;
  };
}

// Loads a ModelRef's policy from its bundle for the market being traded, with the compatibility checks.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../core/errors.js';
import { fromWorkspacePath } from '../core/workspace-path.js';
import { createSharedFeatureStores } from '../features/index.js';
import type { ModelRef, PolicyLoader } from '../lifecycle/contracts.js';
import type { MarketData } from '../market/market-data.js';
import { type BundleFileHash, bundleFileHashes, loadModelBundle } from '../models/bundle/index.js';
import type { Policy } from '../models/index.js';

/** A PolicyLoader that also seals refs: records their bundle's content as it is now (see `seal`). */
export interface SealingPolicyLoader extends PolicyLoader {
  /**
   * `ref` with `bundleSha256` set to its bundle's content now, when it has none and the bundle can be
   * read (else unchanged: loading it then says why). Called when a model enters the deployment or the
   * arena; from then on the loader refuses the bundle if its content differs (BUNDLE_CHANGED).
   */
  seal(ref: ModelRef): ModelRef;
}

/**
 * A PolicyLoader for `market` (its symbols, order and timeframe); ensemble members resolve under root/models.
 * A model loaded again while every file of its bundle has the same content (bundleFileHashes: manifest, the
 * kind's files, an ensemble's members' files) gets the policy loaded before: the deployed model's arena
 * shadow, a replaced champion coming back as a challenger. A policy is a pure function of the bars and its
 * portfolio's weights, so sharing it changes no decision, and its caches (moving sums, features from the
 * first bar) are not rebuilt. The same object is returned; policies nobody holds are let go.
 * A ref with a `bundleSha256` whose bundle's content differs now (a hand-edited manifest, replaced
 * weights) is refused with ModelError BUNDLE_CHANGED: bundles are immutable once written.
 */
export function createPolicyLoader(
  root: string,
  market: Pick<MarketData, 'symbols' | 'timeframeMs'>,
): SealingPolicyLoader {
  const modelsRoot = join(root, 'models');
  // one feature store per feature list for every network model of this market, ensemble members included
  const featureStores = createSharedFeatureStores();
  const contentKey = bundleContentKeys(modelsRoot);
  const loaded = new Map<string, { readonly key: string; readonly policy: WeakRef<Policy> }>();
  const load = (ref: ModelRef) => {
    const dir = fromWorkspacePath(root, ref.modelPath);
    const key = contentKey(dir);
    if (key !== null && ref.bundleSha256 !== undefined && digestOf(key) !== ref.bundleSha256)
      throw bundleChanged(ref, digestOf(key));
    const known = loaded.get(dir);
    const policy = key !== null && known?.key === key ? known.policy.deref() : undefined;
    if (policy !== undefined) return policy.name === ref.modelId ? policy : { ...policy, name: ref.modelId };
    const bundle = loadModelBundle(dir, market, { modelsRoot, featureStores });
    const named = { ...bundle.policy, name: ref.modelId };
    if (key !== null) loaded.set(dir, { key, policy: new WeakRef(named) });
    else loaded.delete(dir);
    return named;
  };
  const seal = (ref: ModelRef): ModelRef => {
    if (ref.bundleSha256 !== undefined) return ref;
    const key = contentKey(fromWorkspacePath(root, ref.modelPath));
    return key === null ? ref : { ...ref, bundleSha256: digestOf(key) };
  };
  return Object.assign(load, { seal });
}

function bundleChanged(ref: ModelRef, found: string): ModelError {
  return new ModelError(
    'BUNDLE_CHANGED',
    `${ref.modelId}: its bundle ${ref.modelPath} changed after the model entered the deployment or the arena (the sha256 of its files is ${found}, ${ref.bundleSha256} was recorded); a bundle is never edited: restore it, or deploy another model`,
    { modelId: ref.modelId, modelPath: ref.modelPath },
  );
}

/**
 * Throws ModelError BUNDLE_CHANGED when `ref` records a bundle content that differs from its bundle's
 * now (what loading it refuses), or what reading the bundle throws; nothing for a ref without a record.
 */
export function checkBundleUnchanged(root: string, ref: ModelRef): void {
  if (ref.bundleSha256 === undefined) return;
  const found = bundleDigest(fromWorkspacePath(root, ref.modelPath), join(root, 'models'));
  if (found !== ref.bundleSha256) throw bundleChanged(ref, found);
}

/** The bundle digest of a content key: what ModelRef's `bundleSha256` records. */
const digestOf = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * The sha256 of a bundle's content: of every file it depends on (bundleFileHashes: manifest, the kind's
 * files, an ensemble's members' files), by name and sha256, so a copied workspace has the same digests.
 * Throws ModelError as readBundle does for a bundle that cannot be read.
 */
export function bundleDigest(dir: string, modelsRoot: string): string {
  return digestOf(contentKeyOf(bundleFileHashes(dir, modelsRoot)));
}

const contentKeyOf = (hashes: readonly BundleFileHash[]) =>
  hashes.map((h) => `${h.file}=${h.sha256}`).join(',');

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
    const key = contentKeyOf(hashes);
    known.set(dir, { stamps: stampsOf(files), key, files });
    return key;
  };
}

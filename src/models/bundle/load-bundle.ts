// Turns a bundle folder into a Policy for a given market, after the shared checks and its kind's own.
import { join } from 'node:path';
import type { SharedFeatureStores } from '../../features/index.js';
import { kindOfManifest, type Manifest } from '../kinds.js';
import type { Policy } from '../policy.js';
import { readBundle } from './bundle-files.js';
import { assertBundleFitsMarket, type MarketShape } from './compatibility.js';

export interface LoadedModel {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly policy: Policy;
}

export interface LoadOptions {
  /** Folder that ensemble member paths are relative to (the workspace's models/). */
  modelsRoot?: string;
  /** Feature stores shared by the network policies loaded with them (default: one store per policy). */
  featureStores?: SharedFeatureStores;
}

/**
 * Loads the bundle at `dir` for `market`: reads and validates the manifest and its kind's files, checks
 * that it fits the market (symbols and order, timeframe, action size, then the kind's own checks:
 * features, observation and network sizes) and builds its policy through its kind. Throws ModelError
 * naming the folder and what differs.
 */
export function loadModelBundle(dir: string, market: MarketShape, options: LoadOptions = {}): LoadedModel {
  const { manifest, files } = readBundle(dir);
  const kind = kindOfManifest(manifest);
  assertBundleFitsMarket(manifest, market, dir);
  kind.check?.(manifest, market, dir);
  const modelsRoot = options.modelsRoot ?? join(dir, '..', '..');
  const policy = kind.load(
    { dir, manifest, files, dependencies: kind.dependencies?.(manifest, dir, modelsRoot) ?? [] },
    market,
    {
      name: `${manifest.study}/${manifest.trialNumber ?? 'manual'}`,
      featureStores: options.featureStores,
      loadBundle: (member) => loadModelBundle(member, market, options).policy,
    },
  );
  return { dir, manifest, policy };
}

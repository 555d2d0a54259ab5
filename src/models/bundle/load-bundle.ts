// Turns a bundle folder into a Policy for a given market, after checking that it fits.
import { isAbsolute, join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import { formatIssues } from '../../core/schema-issues.js';
import type { SharedFeatureStores } from '../../features/index.js';
import { createMlpPolicy } from '../mlp-policy.js';
import { loadOnnxBundle, parseOnnxManifest } from '../onnx/load-onnx-bundle.js';
import type { OnnxManifest } from '../onnx/onnx-manifest.js';
import type { Policy } from '../policy.js';
import { isRuleName, RULE_STRATEGIES } from '../rules/registry.js';
import { readBundle, readManifestJson } from './bundle-files.js';
import { assertBundleFitsMarket, type MarketShape } from './compatibility.js';
import { createEnsemblePolicy } from './ensemble-policy.js';
import { MANIFEST_FILE, type Manifest } from './manifest.js';
import { decodeNetwork } from './network-codec.js';

export interface LoadedModel {
  readonly dir: string;
  readonly manifest: Manifest | OnnxManifest;
  readonly policy: Policy;
}

export interface LoadOptions {
  /** Folder that ensemble member paths are relative to (the workspace's models/). */
  modelsRoot?: string;
  /** Feature stores shared by the network policies loaded with them (default: one store per policy). */
  featureStores?: SharedFeatureStores;
}

/**
 * The validated manifest of the bundle at `dir`, whatever its kind (an ONNX manifest by its own schema).
 * Throws ModelError like readBundle and loadOnnxBundle.
 */
export function readAnyManifest(dir: string): Manifest | OnnxManifest {
  const raw = readManifestJson(dir);
  if ((raw as { kind?: unknown } | null)?.kind === 'onnx')
    return parseOnnxManifest(raw, join(dir, MANIFEST_FILE));
  return readBundle(dir).manifest;
}

/**
 * Loads the bundle at `dir` for `market`: reads and validates the manifest (and weights), checks that it
 * fits the market (symbols and order, timeframe, features, sizes) and builds its policy. Throws ModelError
 * naming the folder and what differs. A manifest of kind `onnx` is loaded by loadOnnxBundle.
 */
export function loadModelBundle(dir: string, market: MarketShape, options: LoadOptions = {}): LoadedModel {
  const raw = readManifestJson(dir);
  if ((raw as { kind?: unknown } | null)?.kind === 'onnx') return loadOnnxBundle(dir, raw, market, options);
  const { manifest, weights } = readBundle(dir);
  assertBundleFitsMarket(manifest, market, dir);
  const name = `${manifest.study}/${manifest.trialNumber ?? 'manual'}`;
  switch (manifest.kind) {
    case 'rule': {
      const strategy = manifest.strategy ?? '';
      if (!isRuleName(strategy))
        throw new ModelError('BUNDLE_INVALID', `${dir}: unknown rule strategy "${strategy}"`, { dir });
      const params = RULE_STRATEGIES[strategy].params.safeParse(manifest.params);
      if (!params.success)
        throw new ModelError(
          'BUNDLE_INVALID',
          `${dir}: invalid params: ${formatIssues(params.error, manifest.params, { prefix: ['params'] })}`,
          { dir },
        );
      const policy = RULE_STRATEGIES[strategy].create(manifest.symbols, market.timeframeMs, params.data);
      return { dir, manifest, policy: { ...policy, name } };
    }
    case 'ppo': {
      if (!manifest.network || !weights || !manifest.normalisation)
        throw new ModelError(
          'BUNDLE_INVALID',
          `${dir}: a ppo bundle needs network, weights and normalisation`,
          { dir },
        );
      const net = decodeNetwork(weights, manifest.network.layerSizes, join(dir, 'weights.bin'));
      const spec = { symbols: manifest.symbols, features: manifest.features, lookback: manifest.lookback };
      const policy = createMlpPolicy(name, spec, manifest.normalisation, net, options.featureStores);
      return { dir, manifest, policy };
    }
    case 'ensemble': {
      const members = manifest.members ?? [];
      if (members.length === 0)
        throw new ModelError('BUNDLE_INVALID', `${dir}: an ensemble needs members`, { dir });
      const root = options.modelsRoot ?? join(dir, '..', '..');
      const loaded = members.map((m) => ({
        policy: loadModelBundle(isAbsolute(m.path) ? m.path : join(root, m.path), market, options).policy,
        weight: m.weight,
      }));
      return { dir, manifest, policy: createEnsemblePolicy(name, manifest.symbols, loaded) };
    }
  }
}

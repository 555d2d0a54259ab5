// Turns an ONNX bundle folder into a Policy: manifest, model.onnx and its hash, graph shapes, market fit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import type { SharedFeatureStores } from '../../features/index.js';
import { sha256Hex, writeBundleFolder } from '../bundle/bundle-files.js';
import { assertBundleFitsMarket, type MarketShape } from '../bundle/compatibility.js';
import { MANIFEST_FILE } from '../bundle/manifest.js';
import type { Policy } from '../policy.js';
import { assertGraphFitsManifest } from './graph-check.js';
import { ONNX_MODEL_FILE, type OnnxManifest, OnnxManifestSchema } from './onnx-manifest.js';
import { createOnnxPolicy } from './onnx-policy.js';
import { type OnnxSession, openOnnxSession } from './onnx-runtime.js';

export interface LoadedOnnxModel {
  readonly dir: string;
  readonly manifest: OnnxManifest;
  readonly policy: Policy;
}

/**
 * Validates `raw` (a parsed manifest.json) as an ONNX manifest; ModelError BUNDLE_INVALID names the file
 * and the first field that fails.
 */
export function parseOnnxManifest(raw: unknown, manifestPath: string): OnnxManifest {
  const parsed = OnnxManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelError(
      'BUNDLE_INVALID',
      `${manifestPath}: field "${issue.path.join('.')}": ${issue.message}`,
      { manifestPath, issues: parsed.error.issues },
    );
  }
  return parsed.data;
}

/**
 * Writes an ONNX bundle (model.onnx, then manifest.json) atomically; the manifest is validated and must
 * carry the graph's sha256. ModelError BUNDLE_EXISTS when `dir` exists. (Python writes these bundles with
 * python/hybrid_trader; this is for bundles made here, e.g. by the benchmarks.)
 */
export function writeOnnxBundle(dir: string, manifest: OnnxManifest, model: Uint8Array): void {
  const valid = parseOnnxManifest(manifest, join(dir, MANIFEST_FILE));
  if (sha256Hex(model) !== valid.onnx.sha256)
    throw new ModelError('ONNX_MODEL_HASH_MISMATCH', `${dir}: the manifest's sha256 is not the graph's`, {
      dir,
    });
  writeBundleFolder(dir, [
    [ONNX_MODEL_FILE, model],
    [MANIFEST_FILE, `${JSON.stringify(valid, null, 2)}\n`],
  ]);
}

/**
 * One session per graph: bundles with the same model.onnx bytes (the deployed model and its arena shadow,
 * an ensemble's member loaded again) share it. A run is synchronous and keeps no state, so sharing changes
 * no output. Sessions nobody holds are let go with their native memory.
 */
const sessions = new Map<string, WeakRef<OnnxSession>>();

function sessionFor(bytes: Uint8Array, sha256: string, source: string): OnnxSession {
  const known = sessions.get(sha256)?.deref();
  if (known) return known;
  const session = openOnnxSession(bytes, source);
  sessions.set(sha256, new WeakRef(session));
  return session;
}

/**
 * Loads the ONNX bundle at `dir` for `market`. Checks, each refused with a ModelError naming the folder:
 * the manifest (BUNDLE_INVALID), model.onnx present (BUNDLE_MODEL_MISSING) and unchanged since the manifest
 * was written (ONNX_MODEL_HASH_MISMATCH), the graph loadable (ONNX_MODEL_INVALID), its input and output
 * against the manifest (see assertGraphFitsManifest), and the manifest against the market (symbols in
 * order, timeframe, features, sizes: assertBundleFitsMarket).
 */
export function loadOnnxBundle(
  dir: string,
  manifestRaw: unknown,
  market: MarketShape,
  options: { featureStores?: SharedFeatureStores } = {},
): LoadedOnnxModel {
  const manifest = parseOnnxManifest(manifestRaw, join(dir, MANIFEST_FILE));
  assertBundleFitsMarket(manifest, market, dir);
  const unfitted = manifest.features.filter((f) => !manifest.normalisation.features.includes(f));
  if (unfitted.length > 0)
    throw new ModelError(
      'BUNDLE_INVALID',
      `${join(dir, MANIFEST_FILE)}: field "normalisation": no statistics for feature(s) ${unfitted.join(', ')} the model observes`,
      { dir, unfitted },
    );
  const path = join(dir, ONNX_MODEL_FILE);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new ModelError('BUNDLE_MODEL_MISSING', `${path}: missing, but the manifest is of kind onnx`, {
      dir,
    });
  }
  const sha256 = sha256Hex(bytes);
  if (sha256 !== manifest.onnx.sha256)
    throw new ModelError(
      'ONNX_MODEL_HASH_MISMATCH',
      `${path}: sha256 ${sha256} differs from the manifest's ${manifest.onnx.sha256}; the graph was changed after the bundle was written`,
      { dir, expected: manifest.onnx.sha256, found: sha256 },
    );
  const session = sessionFor(bytes, sha256, path);
  assertGraphFitsManifest(manifest, session.inputs, session.outputs, path);
  const name = `${manifest.study}/${manifest.trialNumber ?? 'manual'}`;
  const spec = { symbols: manifest.symbols, features: manifest.features, lookback: manifest.lookback };
  const policy = createOnnxPolicy(
    name,
    spec,
    manifest.normalisation,
    {
      session,
      inputName: manifest.onnx.input.name,
      inputType: manifest.onnx.input.dtype,
      outputName: manifest.onnx.output.name,
      mapping: manifest.onnx.outputMapping,
      source: path,
    },
    options.featureStores,
  );
  return { dir, manifest, policy };
}

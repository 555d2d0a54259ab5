// The ONNX kind: a graph (model.onnx, sha256 in the manifest) fed the same observation as native network
// models, run through onnxruntime-node's synchronous binding; written by Python (python/hybrid_trader).
import { join } from 'node:path';
import { ModelError } from '../../core/errors.js';
import { assertObservationFits } from '../bundle/compatibility.js';
import { MANIFEST_FILE } from '../bundle/manifest.js';
import { defineKind } from '../kind.js';
import { assertGraphFitsManifest } from './graph-check.js';
import { ONNX_MODEL_FILE, OnnxManifestSchema } from './onnx-manifest.js';
import { createOnnxPolicy } from './onnx-policy.js';
import { type OnnxSession, openOnnxSession } from './onnx-runtime.js';

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
 * Checks, each refused with a ModelError naming the folder: the observation against the market (features,
 * size: assertObservationFits) and the normalisation covering every feature (BUNDLE_INVALID); at load, the
 * graph loadable (ONNX_MODEL_INVALID) and its input and output against the manifest (see
 * assertGraphFitsManifest). model.onnx itself is read and hash-checked by the bundle reader (its sha256
 * is the manifest's `onnx.sha256`).
 */
export const onnxKind = defineKind({
  kind: 'onnx',
  manifestSchema: OnnxManifestSchema,
  files: (m) => [{ name: ONNX_MODEL_FILE, sha256: m.onnx.sha256 }],
  check(m, market, source) {
    assertObservationFits(m, market, source);
    const unfitted = m.features.filter((f) => !m.normalisation.features.includes(f));
    if (unfitted.length > 0)
      throw new ModelError(
        'BUNDLE_INVALID',
        `${join(source, MANIFEST_FILE)}: field "normalisation": no statistics for feature(s) ${unfitted.join(', ')} the model observes`,
        { source, unfitted },
      );
  },
  load({ dir, manifest, files }, _market, ctx) {
    const path = join(dir, ONNX_MODEL_FILE);
    const session = sessionFor(files.get(ONNX_MODEL_FILE)!, manifest.onnx.sha256, path);
    assertGraphFitsManifest(manifest, session.inputs, session.outputs, path);
    const spec = { symbols: manifest.symbols, features: manifest.features, lookback: manifest.lookback };
    return createOnnxPolicy(
      ctx.name,
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
      ctx.featureStores,
    );
  },
  training: [],
});

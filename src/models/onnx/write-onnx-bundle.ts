// Writing an ONNX bundle from TypeScript (benchmarks, tests); Python writes them with python/hybrid_trader.
// Apart from kind.ts: a kind's module must not import the bundle reader, which imports the registry.
import { writeBundle } from '../bundle/bundle-files.js';
import { ONNX_MODEL_FILE, type OnnxManifest } from './onnx-manifest.js';
/**
 * Writes an ONNX bundle (model.onnx and manifest.json) atomically through the bundle writer: the manifest
 * is validated and must carry the graph's sha256 (ModelError BUNDLE_FILES_MISMATCH otherwise), and
 * BUNDLE_EXISTS when `dir` exists. (Python writes these bundles with python/hybrid_trader; this is for
 * bundles made here, e.g. by the benchmarks.)
 */
export function writeOnnxBundle(dir: string, manifest: OnnxManifest, model: Uint8Array): void {
  writeBundle(dir, manifest, new Map([[ONNX_MODEL_FILE, model]]));
}

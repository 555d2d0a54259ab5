// Public API of the ONNX model kind: manifest, graph checks, the policy and the bundle loader.
export { assertGraphFitsManifest, outputWidth } from './graph-check.js';
export { onnxKind } from './kind.js';
export {
  ONNX_MODEL_FILE,
  type OnnxManifest,
  OnnxManifestSchema,
  type OnnxSpec,
  OnnxSpecSchema,
  type OutputMapping,
  OutputMappingSchema,
  type TensorSpec,
} from './onnx-manifest.js';
export { createOnnxPolicy, mapOutput, type OnnxGraph } from './onnx-policy.js';
export {
  type OnnxFloatType,
  type OnnxSession,
  type OnnxValueInfo,
  onnxRuntimeVersion,
  openOnnxSession,
} from './onnx-runtime.js';
export { writeOnnxBundle } from './write-onnx-bundle.js';

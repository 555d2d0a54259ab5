// The manifest of an ONNX bundle: the common model fields plus the graph's file, hash, tensors and output mapping.
import { z } from 'zod';
import { normalisationSchema } from '../../features/index.js';
import { kindManifestSchema } from '../bundle/manifest.js';

/** The graph file of an ONNX bundle, beside manifest.json. */
export const ONNX_MODEL_FILE = 'model.onnx';

/**
 * How the graph's output becomes target weights (long-only, one per symbol, cash = the rest):
 * - `softmax-cash-first`: 1 + n logits [cash, symbol 1..n]; their softmax is the allocation, so the weights
 *   are in [0, 1] and sum to at most 1 by construction (as the native MLP policy's head).
 * - `weights`: n values used as the target weights as they are; values outside [0, 1], a sum above 1, NaN
 *   or infinities are refused for that step by the simulator, as any policy's.
 */
export const OutputMappingSchema = z.enum(['softmax-cash-first', 'weights']);
export type OutputMapping = z.infer<typeof OutputMappingSchema>;

/** A tensor of the graph: its name, element type and shape (a symbolic dimension, e.g. "batch", is a string). */
export const TensorSpecSchema = z.strictObject({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'float64']),
  shape: z.array(z.union([z.number().int().positive(), z.string().min(1)])).length(2),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

export const OnnxSpecSchema = z.strictObject({
  /** Graph file name in the bundle folder (always model.onnx). */
  file: z.literal(ONNX_MODEL_FILE),
  /** sha256 of model.onnx, hex: a changed file is refused. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The observation: shape [batch, observationSize] (batch symbolic or 1). */
  input: TensorSpecSchema,
  /** The raw output: [batch, 1 + n] for softmax-cash-first, [batch, n] for weights. */
  output: TensorSpecSchema,
  outputMapping: OutputMappingSchema,
});
export type OnnxSpec = z.infer<typeof OnnxSpecSchema>;

/**
 * manifest.json of kind `onnx`: the fields every bundle has (symbols in order, timeframe, action size,
 * params, training score, study and trial, data hash, windows), the observation it is fed (features,
 * lookback, observation size, normalisation fitted on the training window: the contract the graph was
 * trained on) and `onnx`.
 */
export const OnnxManifestSchema = kindManifestSchema('onnx', {
  features: z.array(z.string().min(1)).min(1),
  lookback: z.number().int().positive(),
  observationSize: z.number().int().positive(),
  normalisation: normalisationSchema,
  onnx: OnnxSpecSchema,
});
export type OnnxManifest = z.infer<typeof OnnxManifestSchema>;

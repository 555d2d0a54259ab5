// A policy that feeds the observation (portfolio weights + normalised feature window) to an ONNX graph.
import { ModelError } from '../../core/errors.js';
import {
  type Normalisation,
  type ObservationSpec,
  observationSize,
  type SharedFeatureStores,
} from '../../features/index.js';
import { softmaxCashFirst } from '../mlp.js';
import { createObservingPolicy } from '../observing-policy.js';
import type { Policy } from '../policy.js';
import type { OutputMapping } from './onnx-manifest.js';
import type { OnnxFloatType, OnnxSession } from './onnx-runtime.js';

/** The graph side of an ONNX policy: a session and which tensors to use, as checked against the manifest. */
export interface OnnxGraph {
  readonly session: OnnxSession;
  readonly inputName: string;
  readonly inputType: OnnxFloatType;
  readonly outputName: string;
  readonly mapping: OutputMapping;
  /** Where the graph came from, for error messages. */
  readonly source: string;
}

/**
 * Maps a raw output row to target weights in `out` (n symbols). `softmax-cash-first`: the softmax of the
 * 1 + n logits, cash first, computed in float64 (as `softmax` of the native MLP); `weights`: the n values as
 * they are. NaN or infinite outputs come through as NaN or out-of-range weights, which the simulator
 * refuses for that step like any policy's; `scratch` holds 1 + n numbers.
 */
export function mapOutput(
  mapping: OutputMapping,
  raw: ArrayLike<number>,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const n = out.length;
  if (mapping === 'weights') {
    for (let i = 0; i < n; i++) out[i] = raw[i]!;
    return;
  }
  const logits = scratch.subarray(0, n + 1);
  for (let i = 0; i <= n; i++) logits[i] = raw[i]!;
  softmaxCashFirst(logits, logits, out);
}

/**
 * Builds the observation of frame t as the native MLP policy does (createObservingPolicy: the shared
 * feature store, then `buildObservation` with the manifest's normalisation), converts it to the graph's
 * element type, runs the graph on that one row and maps its output. Before the first observable frame it
 * stays in cash. Throws ModelError ONNX_OUTPUT_SIZE when a run returns another number of values than the
 * mapping needs (a graph whose output shape depends on its input); the step is then refused.
 */
export function createOnnxPolicy(
  name: string,
  spec: ObservationSpec,
  norm: Normalisation,
  graph: OnnxGraph,
  features?: SharedFeatureStores,
): Policy {
  const n = spec.symbols.length;
  const size = observationSize(spec);
  // a float32 graph gets the float64 observation converted; a float64 graph reads it as it is
  const input = graph.inputType === 'float32' ? new Float32Array(size) : null;
  const dims = [1, size] as const;
  const width = graph.mapping === 'softmax-cash-first' ? n + 1 : n;
  const scratch = new Float64Array(n + 1);
  return createObservingPolicy({ name, spec, norm, features }, (obs, out) => {
    if (input !== null) input.set(obs);
    const result = graph.session.run(graph.inputName, input ?? obs, dims, graph.outputName);
    if (result.data.length !== width)
      throw new ModelError(
        'ONNX_OUTPUT_SIZE',
        `${graph.source}: output ${graph.outputName} has ${result.data.length} values [${result.dims.join(', ')}] for one observation, expected ${width}`,
        { source: graph.source, expected: width, found: result.data.length },
      );
    mapOutput(graph.mapping, result.data, out, scratch);
  });
}

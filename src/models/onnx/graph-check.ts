// Checks a loaded graph's inputs and outputs against the manifest: names, element types and shapes.
import { ModelError } from '../../core/errors.js';
import type { OnnxManifest, TensorSpec } from './onnx-manifest.js';
import type { OnnxValueInfo } from './onnx-runtime.js';

const shapeText = (shape: readonly (number | string)[]) => `[${shape.join(', ')}]`;

/** Width of the raw output the mapping needs: 1 + n logits (cash first) or n weights. */
export function outputWidth(manifest: Pick<OnnxManifest, 'onnx' | 'actionSize'>): number {
  return manifest.onnx.outputMapping === 'softmax-cash-first' ? manifest.actionSize + 1 : manifest.actionSize;
}

/**
 * A dimension of the graph fits the one declared when both are the same size, or both symbolic (a
 * symbolic batch may be given any name). A declared size never matches a symbolic one, nor the reverse.
 */
function dimFits(graph: number | string, declared: number | string): boolean {
  return typeof graph === 'number' ? graph === declared : typeof declared === 'string';
}

function checkTensor(
  what: 'input' | 'output',
  graph: OnnxValueInfo,
  declared: TensorSpec,
  width: number,
  widthWhy: string,
  source: string,
): void {
  const code = what === 'input' ? 'ONNX_INPUT' : 'ONNX_OUTPUT';
  if (!graph.isTensor || (graph.type !== 'float32' && graph.type !== 'float64'))
    throw new ModelError(
      `${code}_TYPE_UNSUPPORTED`,
      `${source}: ${what} ${graph.name} is ${graph.isTensor ? `a ${graph.type} tensor` : 'not a tensor'}; a policy's ${what} must be a float32 or float64 tensor`,
      { source, name: graph.name, type: graph.type },
    );
  if (graph.type !== declared.dtype)
    throw new ModelError(
      `${code}_TYPE_MISMATCH`,
      `${source}: ${what} ${graph.name} is ${graph.type} in the graph but ${declared.dtype} in the manifest`,
      { source, name: graph.name, graph: graph.type, manifest: declared.dtype },
    );
  const shape = graph.shape;
  const batch = shape[0];
  const fits =
    shape.length === 2 &&
    batch !== undefined &&
    (typeof batch === 'string' || batch === 1) &&
    shape[1] === width &&
    shape.every((d, i) => dimFits(d, declared.shape[i]!));
  if (!fits)
    throw new ModelError(
      `${code}_SHAPE_MISMATCH`,
      `${source}: ${what} ${graph.name} has shape ${shapeText(shape)} in the graph; the manifest declares ${shapeText(declared.shape)} and the ${widthWhy} needs [batch, ${width}]`,
      { source, name: graph.name, graph: shape, manifest: declared.shape, expected: ['batch', width] },
    );
}

/**
 * The graph's input (or output) called `name`. Throws ModelError ONNX_INPUT_MISSING (ONNX_OUTPUT_MISSING)
 * naming the ones the graph has.
 */
function findGraphValue(
  kind: 'input' | 'output',
  values: readonly OnnxValueInfo[],
  name: string,
  source: string,
): OnnxValueInfo {
  const found = values.find((v) => v.name === name);
  if (found) return found;
  const names = values.map((v) => v.name);
  throw new ModelError(
    kind === 'input' ? 'ONNX_INPUT_MISSING' : 'ONNX_OUTPUT_MISSING',
    `${source}: the graph has no ${kind} ${name} (its ${kind}s: ${names.join(', ') || 'none'})`,
    { source, name, [`${kind}s`]: names },
  );
}

/**
 * Throws ModelError unless the graph takes exactly the manifest's input (one float tensor
 * [batch, observationSize], batch symbolic or 1) and produces its output ([batch, 1 + n] logits for
 * softmax-cash-first, [batch, n] for weights), with the declared names, element types and shapes. Codes:
 * ONNX_INPUT_MISSING, ONNX_INPUT_UNEXPECTED (the graph needs more than the observation),
 * ONNX_INPUT_SHAPE_MISMATCH, ONNX_INPUT_TYPE_MISMATCH/_UNSUPPORTED, and the same for ONNX_OUTPUT_*.
 */
export function assertGraphFitsManifest(
  manifest: OnnxManifest,
  inputs: readonly OnnxValueInfo[],
  outputs: readonly OnnxValueInfo[],
  source: string,
): void {
  const { input, output } = manifest.onnx;
  const graphInput = findGraphValue('input', inputs, input.name, source);
  const extra = inputs.filter((i) => i.name !== input.name).map((i) => i.name);
  if (extra.length > 0)
    throw new ModelError(
      'ONNX_INPUT_UNEXPECTED',
      `${source}: the graph also needs input(s) ${extra.join(', ')}; a policy is fed only the observation ${input.name}`,
      { source, extra },
    );
  const n = manifest.symbols.length;
  checkTensor(
    'input',
    graphInput,
    input,
    manifest.observationSize,
    `observation (1 + ${n} symbols + lookback ${manifest.lookback} x ${n} symbols x ${manifest.features.length} features)`,
    source,
  );
  const graphOutput = findGraphValue('output', outputs, output.name, source);
  checkTensor(
    'output',
    graphOutput,
    output,
    outputWidth(manifest),
    manifest.onnx.outputMapping === 'softmax-cash-first'
      ? `softmax-cash-first mapping (cash + ${n} symbols)`
      : `weights mapping (${n} symbols)`,
    source,
  );
}

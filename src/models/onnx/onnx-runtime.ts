// The one place that talks to onnxruntime-node: opens a session on model bytes and runs it synchronously.
import { createRequire } from 'node:module';
import { ModelError } from '../../core/errors.js';

/** Element types a policy's input and output may have (the observation is float64; float32 is usual). */
export type OnnxFloatType = 'float32' | 'float64';

/** One graph input or output as the runtime reports it: a dimension is a size or a symbolic name. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly isTensor: boolean;
  /** 'float32', 'float64', 'int64', ... or 'unknown(<code>)'. */
  readonly type: string;
  readonly shape: readonly (number | string)[];
}

/**
 * A loaded graph. `run` is synchronous: the simulator's step is, and a policy answers within it. It feeds
 * `rows` rows of `input` (row-major, `rows x width`) to the graph's input and returns the named output's
 * values (a view owned by the runtime: copy or read it before the next run) and its dimensions.
 */
export interface OnnxSession {
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  run(
    inputName: string,
    input: Float32Array | Float64Array,
    dims: readonly number[],
    outputName: string,
  ): { readonly data: ArrayLike<number>; readonly dims: readonly number[] };
}

/** The native binding's session (onnxruntime-node/dist/binding.d.ts, "a simple synchronized inference session"). */
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: NativeValueMetadata[];
  readonly outputMetadata: NativeValueMetadata[];
  run(
    feeds: Record<string, unknown>,
    fetches: Record<string, null>,
    options: object,
  ): Record<string, NativeTensor>;
}
interface NativeValueMetadata {
  name: string;
  isTensor: boolean;
  symbolicDimensions: string[];
  shape: number[];
  type: number;
}
interface NativeTensor {
  readonly data: ArrayLike<number>;
  readonly dims: readonly number[];
}
type TensorConstructor = new (
  type: OnnxFloatType,
  data: Float32Array | Float64Array,
  dims: number[],
) => object;

interface Runtime {
  readonly Session: new () => NativeSession;
  readonly Tensor: TensorConstructor;
  readonly version: string;
}

/** ONNX element type codes (TensorProto.DataType) as onnxruntime-node's backend names them. */
const TYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

/**
 * A small graph run on one row per step: onnxruntime's thread pools only add hand-offs (one thread measured
 * 8 us per run against 12 us with the default pools), and a replay must not take every core. Errors are
 * thrown to us with their message; the runtime's own log stays quiet.
 */
const SESSION_OPTIONS = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  logSeverityLevel: 4,
};

let runtime: Runtime | null = null;

/**
 * Loads onnxruntime-node on first use (about 100 ms and a native library the other model kinds never need).
 * The public `InferenceSession.run` is asynchronous only by a setImmediate around the binding's synchronous
 * run (dist/backend.js); the binding is shipped with its types in dist/binding.d.ts, and the package has
 * no exports map that hides it. The version is pinned in package.json, and onnx-bundle.test.ts checks
 * that the binding still answers as the public API does.
 */
function loadRuntime(): Runtime {
  if (runtime) return runtime;
  const require = createRequire(import.meta.url);
  try {
    const ort = require('onnxruntime-node') as {
      Tensor: TensorConstructor;
      env: { logLevel?: string; versions: { common: string } };
    };
    ort.env.logLevel = 'fatal';
    const native = require('onnxruntime-node/dist/binding.js') as {
      binding?: { InferenceSession?: new () => NativeSession };
      initOrt?: () => void;
    };
    if (typeof native.initOrt !== 'function' || typeof native.binding?.InferenceSession !== 'function')
      throw new Error('onnxruntime-node/dist/binding.js has no InferenceSession or initOrt');
    native.initOrt();
    runtime = {
      Session: native.binding.InferenceSession,
      Tensor: ort.Tensor,
      version: ort.env.versions.common,
    };
    return runtime;
  } catch (error) {
    throw new ModelError(
      'ONNX_RUNTIME_UNAVAILABLE',
      `onnxruntime-node cannot be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); run npm install`,
    );
  }
}

function describe(m: NativeValueMetadata): OnnxValueInfo {
  return {
    name: m.name,
    isTensor: m.isTensor,
    type: TYPE_NAMES[m.type] ?? `unknown(${m.type})`,
    shape: (m.shape ?? []).map((d, i) => (d >= 0 ? d : m.symbolicDimensions[i] || '?')),
  };
}

/**
 * Opens a session on the bytes of an .onnx file. Throws ModelError ONNX_MODEL_INVALID naming `source` when
 * the runtime cannot load the graph (not ONNX, unsupported operator or opset).
 */
export function openOnnxSession(bytes: Uint8Array, source: string): OnnxSession {
  const { Session, Tensor } = loadRuntime();
  const native = new Session();
  try {
    native.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, SESSION_OPTIONS);
  } catch (error) {
    throw new ModelError(
      'ONNX_MODEL_INVALID',
      `${source}: onnxruntime cannot load the graph: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      { source },
    );
  }
  const inputs = native.inputMetadata.map(describe);
  const outputs = native.outputMetadata.map(describe);
  const fetches: Record<string, Record<string, null>> = {};
  // A tensor refers to its buffer: one per (buffer, shape, input) is made once and fed again each run.
  const feeds = new WeakMap<Float32Array | Float64Array, { key: string; feed: Record<string, object> }>();
  return {
    inputs,
    outputs,
    run(inputName, input, dims, outputName) {
      const key = `${inputName}:${dims.join('x')}`;
      let feed = feeds.get(input);
      if (feed?.key !== key) {
        const type: OnnxFloatType = input instanceof Float32Array ? 'float32' : 'float64';
        feed = { key, feed: { [inputName]: new Tensor(type, input, [...dims]) } };
        feeds.set(input, feed);
      }
      let fetch = fetches[outputName];
      if (fetch === undefined) {
        fetch = { [outputName]: null };
        fetches[outputName] = fetch;
      }
      const result = native.run(feed.feed, fetch, {});
      const out = result[outputName];
      if (!out)
        throw new ModelError('ONNX_OUTPUT_MISSING', `${source}: the run returned no output ${outputName}`, {
          source,
        });
      return out;
    },
  };
}

/** The onnxruntime version in use (loads the runtime). */
export function onnxRuntimeVersion(): string {
  return loadRuntime().version;
}

import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeGraph,
  plainNormalisation,
  pythonOnnxAvailable,
  writeOnnxBundle,
} from '../../../test/onnx-fixtures.js';
import { ModelError } from '../../core/errors.js';
import { type ObservationSpec, observationSize } from '../../features/index.js';
import { generateSyntheticMarket } from '../../market/synth.js';
import { resolveSimConfig, runSimulation } from '../../sim/index.js';
import { loadModelBundle } from '../bundle/load-bundle.js';
import { createMlpPolicy } from '../mlp-policy.js';
import type { OnnxManifest } from './onnx-manifest.js';
import { openOnnxSession } from './onnx-runtime.js';
import { writeOnnxBundle as writeBundleAtomically } from './write-onnx-bundle.js';

const market = generateSyntheticMarket({ bars: 300, seed: 3 });
const spec: ObservationSpec = { symbols: market.symbols, features: ['ret_1', 'rsi_14', 'macd'], lookback: 2 };
const size = observationSize(spec);
const n = spec.symbols.length;
const norm = plainNormalisation(spec.features);
const config = resolveSimConfig();

function load(dir: string) {
  return loadModelBundle(dir, market);
}

function refusal(fn: () => unknown): ModelError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

describe.skipIf(!pythonOnnxAvailable())('ONNX bundles', () => {
  let tmp: string;
  let graph32: string;
  let graph64: string;
  let layers64: ReturnType<typeof makeGraph>;
  let nanGraph: string;
  let onesGraph: string;
  let bundleNo = 0;
  const bundle = (graph: string, o: Partial<Parameters<typeof writeOnnxBundle>[2]> = {}) => {
    const dir = join(tmp, `b${bundleNo++}`);
    const manifest = writeOnnxBundle(dir, graph, { spec, normalisation: norm, ...o });
    return { dir, manifest };
  };

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'onnx-bundle-'));
    graph32 = join(tmp, 'mlp32.onnx');
    makeGraph(graph32, { sizes: [size, 64, 64, n + 1], seed: 1 });
    graph64 = join(tmp, 'mlp64.onnx');
    layers64 = makeGraph(graph64, { sizes: [size, 16, n + 1], seed: 2, dtype: 'float64' });
    nanGraph = join(tmp, 'nan.onnx');
    makeGraph(nanGraph, { sizes: [size, 4, n + 1], fill: 'nan' });
    onesGraph = join(tmp, 'ones.onnx');
    makeGraph(onesGraph, { sizes: [size, 4, n], fill: 1 });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs synchronously through the binding with the results of the public asynchronous API', async () => {
    const require = createRequire(import.meta.url);
    const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
    const bytes = readFileSync(graph32);
    const session = openOnnxSession(bytes, graph32);
    const pub = await ort.InferenceSession.create(bytes);
    for (let k = 0; k < 5; k++) {
      const x = Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37 + k));
      const sync = Array.from(session.run('obs', x, [1, size], 'logits').data);
      const asyncOut = await pub.run({ obs: new ort.Tensor('float32', x, [1, size]) });
      expect(sync).toEqual(Array.from(asyncOut.logits!.data as Float32Array));
    }
    expect(session.inputs).toEqual([
      { name: 'obs', isTensor: true, type: 'float32', shape: ['batch', size] },
    ]);
    expect(session.outputs).toEqual([
      { name: 'logits', isTensor: true, type: 'float32', shape: ['batch', n + 1] },
    ]);
  });

  it('decides as the native MLP policy with the same float64 weights, on the same observations', () => {
    const { dir } = bundle(graph64, { dtype: 'float64' });
    const onnx = load(dir).policy;
    const layers = layers64.map((l) => {
      const inputs = l.W.length;
      const outputs = l.b.length;
      const weights = new Float64Array(inputs * outputs);
      for (let o = 0; o < outputs; o++)
        for (let i = 0; i < inputs; i++) weights[o * inputs + i] = l.W[i]![o]!;
      return { inputs, outputs, weights, bias: Float64Array.from(l.b) };
    });
    const native = createMlpPolicy('native', spec, norm, { layers });
    const record = (policy: typeof onnx) => {
      const out: number[][] = [];
      runSimulation(
        market,
        {
          decide(ctx, targets) {
            policy.decide(ctx, targets);
            out.push(Array.from(targets));
          },
        },
        config,
      );
      return out;
    };
    const a = record(onnx);
    const b = record(native);
    expect(a.length).toBe(market.length);
    let worst = 0;
    for (let t = 0; t < a.length; t++)
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[t]![i]! - b[t]![i]!));
    expect(worst).toBeLessThan(1e-12);
    expect(a[onnx.warmupBars]!.some((w) => w > 0)).toBe(true);
  });

  it('trades a float32 graph through the simulator with weights in [0, 1] and nothing refused', () => {
    const { dir } = bundle(graph32);
    const run = runSimulation(market, load(dir).policy, config);
    expect(run.portfolio.rejectedSteps).toBe(0);
    expect(run.portfolio.fills).toBeGreaterThan(0);
  });

  it("writes a bundle atomically from TypeScript, never over an existing one, only with the graph's hash", () => {
    const { manifest } = bundle(graph32);
    const bytes = readFileSync(graph32);
    const dir = join(tmp, 'written');
    writeBundleAtomically(dir, manifest, bytes);
    expect(load(dir).manifest).toEqual(manifest);
    expect(refusal(() => writeBundleAtomically(dir, manifest, bytes)).code).toBe('BUNDLE_EXISTS');
    const other = readFileSync(graph64);
    expect(refusal(() => writeBundleAtomically(join(tmp, 'other'), manifest, other)).code).toBe(
      'BUNDLE_FILES_MISMATCH',
    );
  });

  it('refuses a changed model.onnx by its hash, and a missing one (the bundle reader checks every file)', () => {
    const { dir } = bundle(graph32);
    const bytes = readFileSync(join(dir, 'model.onnx'));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(join(dir, 'model.onnx'), bytes);
    expect(refusal(() => load(dir)).code).toBe('BUNDLE_FILE_CORRUPT');
    unlinkSync(join(dir, 'model.onnx'));
    expect(refusal(() => load(dir)).code).toBe('BUNDLE_FILE_MISSING');
  });

  it('refuses a feature list that differs from what the graph takes, by name', () => {
    // 11 features declared for a graph trained on 3 (the sizes follow the declaration, the graph does not)
    const features = ['ret_1', 'rsi_14'];
    const declared = { ...spec, features };
    const { dir } = bundle(graph32, {
      overrides: (m) => ({
        ...m,
        features,
        observationSize: observationSize(declared),
        normalisation: plainNormalisation(features),
        onnx: { ...m.onnx, input: { ...m.onnx.input, shape: ['batch', observationSize(declared)] } },
      }),
    });
    const error = refusal(() => load(dir));
    expect(error.code).toBe('ONNX_INPUT_SHAPE_MISMATCH');
    expect(error.message).toContain(`[batch, ${size}] in the graph`);
    expect(error.message).toContain('2 features');
    // a manifest whose features do not add up to its own observationSize
    const stale = bundle(graph32, { overrides: (m) => ({ ...m, features }) });
    expect(refusal(() => load(stale.dir)).code).toBe('BUNDLE_SIZE_MISMATCH');
  });

  it('refuses an input or output the graph does not have, and a declared shape or type it does not match', () => {
    const cases: [string, (m: OnnxManifest) => OnnxManifest][] = [
      [
        'ONNX_INPUT_MISSING',
        (m) => ({ ...m, onnx: { ...m.onnx, input: { ...m.onnx.input, name: 'state' } } }),
      ],
      [
        'ONNX_OUTPUT_MISSING',
        (m) => ({ ...m, onnx: { ...m.onnx, output: { ...m.onnx.output, name: 'action' } } }),
      ],
      [
        'ONNX_INPUT_TYPE_MISMATCH',
        (m) => ({ ...m, onnx: { ...m.onnx, input: { ...m.onnx.input, dtype: 'float64' } } }),
      ],
      // the graph gives 1 + n logits; the weights mapping needs n
      [
        'ONNX_OUTPUT_SHAPE_MISMATCH',
        (m) => ({
          ...m,
          onnx: { ...m.onnx, outputMapping: 'weights', output: { ...m.onnx.output, shape: ['batch', n] } },
        }),
      ],
      // a fixed batch of 4 declared where the graph's is symbolic
      [
        'ONNX_INPUT_SHAPE_MISMATCH',
        (m) => ({ ...m, onnx: { ...m.onnx, input: { ...m.onnx.input, shape: [4, size] } } }),
      ],
    ];
    for (const [code, overrides] of cases) {
      const { dir } = bundle(graph32, { overrides });
      const error = refusal(() => load(dir));
      expect(error.code, code).toBe(code);
      expect(error.message).toContain(join(dir, 'model.onnx'));
    }
  });

  it('refuses a file that is not a graph, a feature without normalisation, another market', () => {
    const junk = join(tmp, 'junk.onnx');
    writeFileSync(junk, 'not a graph');
    expect(refusal(() => load(bundle(junk).dir)).code).toBe('ONNX_MODEL_INVALID');
    const unfitted = bundle(graph32, { normalisation: plainNormalisation(['ret_1', 'rsi_14']) });
    expect(refusal(() => load(unfitted.dir)).message).toContain('no statistics for feature(s) macd');
    const other = bundle(graph32, {
      overrides: (m) => ({ ...m, symbols: [...m.symbols].reverse() }),
    });
    expect(refusal(() => load(other.dir)).code).toBe('BUNDLE_SYMBOLS_MISMATCH');
    const hourly = bundle(graph32, { timeframe: '4h' });
    expect(refusal(() => load(hourly.dir)).code).toBe('BUNDLE_TIMEFRAME_MISMATCH');
  });

  it('rejects NaN outputs per step and counts them; positions are held', () => {
    const { dir } = bundle(nanGraph);
    const policy = load(dir).policy;
    const run = runSimulation(market, policy, config);
    expect(run.portfolio.rejectedSteps).toBe(market.length - policy.warmupBars);
    expect(run.portfolio.fills).toBe(0);
    expect(run.equity.at(-1)).toBe(config.initialCash);
  });

  it('rejects weights out of [0, 1] or summing above 1 per step (weights mapping)', () => {
    const { dir } = bundle(onesGraph, { mapping: 'weights' });
    const policy = load(dir).policy;
    const reasons: string[] = [];
    const run = runSimulation(market, policy, config, {
      listener: { onReject: (_ts, r) => reasons.push(r) },
    });
    expect(run.portfolio.rejectedSteps).toBe(market.length - policy.warmupBars);
    expect(reasons[0]).toMatch(/must be in \[0, 1\]/);
  });
});

// Test fixtures for ONNX models: graphs built by the Python module (python3-onnx), bundles written by hand.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Normalisation, ObservationSpec } from '../src/features/index.js';
import { observationSize } from '../src/features/index.js';
import { BUNDLE_SCHEMA_VERSION } from '../src/models/bundle/index.js';
import type { OnnxManifest, OutputMapping } from '../src/models/onnx/index.js';
import { ROOT } from './cli.js';
import { serviceAvailable } from './require-service.js';

export const PYTHON = '/usr/bin/python3';
export const PYTHON_PATH = join(ROOT, 'python');

/** Whether Debian's python3 with numpy and onnx is here (skips, or fails under CI, when it is not). */
export function pythonOnnxAvailable(): boolean {
  return serviceAvailable('python3-onnx (with numpy)', () => {
    execFileSync(PYTHON, ['-c', 'import numpy, onnx'], { stdio: 'pipe', timeout: 60_000 });
    return true;
  });
}

/** Runs a Python script of the repository with the module on its path; returns stdout. */
export function runPython(script: string, args: readonly string[], cwd?: string): string {
  return execFileSync(PYTHON, [script, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PYTHONPATH: PYTHON_PATH, PYTHONWARNINGS: 'ignore' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface GraphSpec {
  readonly sizes: readonly number[];
  readonly seed?: number;
  readonly dtype?: 'float32' | 'float64';
  readonly input_name?: string;
  readonly output_name?: string;
  readonly fill?: number | 'nan';
  readonly scale?: number;
}

/** A layer of the graph as the fixture printed it: W is (inputs x outputs), as Gemm takes it. */
export interface GraphLayer {
  readonly W: number[][];
  readonly b: number[];
}

/** Writes an MLP graph (tanh hidden layers, linear output) to `path` and returns its weights. */
export function makeGraph(path: string, spec: GraphSpec): GraphLayer[] {
  const out = runPython(join(ROOT, 'test/python/make_graph.py'), [path, JSON.stringify(spec)]);
  return JSON.parse(out) as GraphLayer[];
}

/** An identity-like normalisation for `features` (mean 0, std 1, clip 5). */
export function plainNormalisation(features: readonly string[]): Normalisation {
  return {
    kind: 'pooled-zscore',
    features: [...features],
    mean: features.map(() => 0),
    std: features.map(() => 1),
    count: features.map(() => 1),
    clip: 5,
    fromT: 0,
    toT: 1,
    firstTs: 0,
    lastTs: 0,
  };
}

/**
 * Writes a bundle folder (manifest.json + model.onnx copied from `graphPath`) whose manifest declares what
 * the graph takes: `overrides` change the manifest after it was made (to test refusals).
 */
export function writeOnnxBundle(
  dir: string,
  graphPath: string,
  o: {
    spec: ObservationSpec;
    normalisation: Normalisation;
    mapping?: OutputMapping;
    dtype?: 'float32' | 'float64';
    timeframe?: string;
    overrides?: (m: OnnxManifest) => OnnxManifest;
  },
): OnnxManifest {
  const bytes = readFileSync(graphPath);
  const mapping = o.mapping ?? 'softmax-cash-first';
  const n = o.spec.symbols.length;
  const dtype = o.dtype ?? 'float32';
  const manifest: OnnxManifest = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    kind: 'onnx',
    symbols: [...o.spec.symbols],
    timeframe: o.timeframe ?? '1h',
    features: [...o.spec.features],
    lookback: o.spec.lookback,
    observationSize: observationSize(o.spec),
    actionSize: n,
    normalisation: o.normalisation,
    params: {},
    trainingScore: 1,
    study: 'fixture',
    trialNumber: 0,
    dataHash: 'fixture',
    trainingWindow: null,
    validationWindows: [],
    packageVersion: 'test',
    createdAt: '2024-01-01T00:00:00.000Z',
    onnx: {
      file: 'model.onnx',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      input: { name: 'obs', dtype, shape: ['batch', observationSize(o.spec)] },
      output: { name: 'logits', dtype, shape: ['batch', mapping === 'weights' ? n : n + 1] },
      outputMapping: mapping,
    },
  };
  const final = o.overrides ? o.overrides(manifest) : manifest;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), bytes);
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(final, null, 2)}\n`);
  return final;
}

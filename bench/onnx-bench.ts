// ONNX policy throughput beside the native MLP's: the same 2x64 network shape through the full simulator.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomStream } from '../src/core/random.js';
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  type ObservationSpec,
  observationSize,
  updateFeatures,
} from '../src/features/index.js';
import type { MarketData } from '../src/market/market-data.js';
import { createMlp, createMlpPolicy } from '../src/models/index.js';
import { createOnnxPolicy, openOnnxSession } from '../src/models/onnx/index.js';
import { resolveSimConfig, runSimulation } from '../src/sim/index.js';
import { measure } from './measure.js';
import type { BenchFigure } from './sim-bench.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A 2x64 tanh MLP graph written by the Python module (python3-onnx); null when Python cannot build it. */
function buildGraph(inputs: number, outputs: number, dir: string): Uint8Array | null {
  const path = join(dir, 'mlp.onnx');
  try {
    execFileSync(
      '/usr/bin/python3',
      [
        join(REPO, 'test/python/make_graph.py'),
        path,
        JSON.stringify({ sizes: [inputs, 64, 64, outputs], seed: 1 }),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
    );
    return readFileSync(path);
  } catch {
    return null;
  }
}

export function onnxBenchmarks(market: MarketData): BenchFigure[] {
  const n = market.symbols.length;
  const spec: ObservationSpec = { symbols: market.symbols, features: FEATURE_NAMES, lookback: 1 };
  const inputs = observationSize(spec);
  const dir = mkdtempSync(join(tmpdir(), 'ht-onnx-bench-'));
  try {
    const bytes = buildGraph(inputs, n + 1, dir);
    if (!bytes)
      return [{ name: 'ONNX policy', value: 0, unit: 'skipped', note: 'python3-onnx is not installed' }];
    const store = createFeatureStore(market, spec.features, market.length);
    updateFeatures(store, market);
    const norm = fitNormalisation(store, 0, Math.floor(market.length / 2));
    const config = resolveSimConfig();
    const session = openOnnxSession(bytes, 'bench');
    const graph = {
      session,
      inputName: 'obs',
      inputType: 'float32' as const,
      outputName: 'logits',
      mapping: 'softmax-cash-first' as const,
      source: 'bench',
    };
    const stream = new RandomStream(1, 'bench:mlp');
    const net = createMlp([inputs, 64, 64, n + 1], () => stream.uniform());
    const steps = market.length;
    const native = measure(() => runSimulation(market, createMlpPolicy('native', spec, norm, net), config), {
      warmup: 1,
      minRuns: 3,
    });
    const onnx = measure(() => runSimulation(market, createOnnxPolicy('onnx', spec, norm, graph), config), {
      warmup: 1,
      minRuns: 3,
    });
    const nativeRate = steps / native.seconds;
    const onnxRate = steps / onnx.seconds;
    const figures: BenchFigure[] = [
      {
        name: `native MLP policy 2x64 (${inputs} inputs), ${n} assets, full simulator`,
        value: nativeRate,
        unit: 'steps/s',
        note: 'one step = one bar of 7 assets: features, observation, network, simulator',
      },
      {
        name: `ONNX policy 2x64 (${inputs} inputs, float32, onnxruntime-node), ${n} assets, full simulator`,
        value: onnxRate,
        unit: 'steps/s',
      },
      { name: 'ONNX policy / native MLP policy', value: onnxRate / nativeRate, unit: 'ratio' },
    ];
    // what a batch of rows costs per row: the case for (not) batching several portfolios of one graph
    for (const rows of [1, 2, 8, 32]) {
      const x = new Float32Array(rows * inputs).map((_, k) => Math.sin(k));
      const runs = Math.ceil(20_000 / rows);
      const m = measure(
        () => {
          for (let k = 0; k < runs; k++) session.run('obs', x, [rows, inputs], 'logits');
        },
        { warmup: 1, minRuns: 3 },
      );
      figures.push({
        name: `ONNX session run, batch of ${rows} row${rows > 1 ? 's' : ''}, per row`,
        value: (m.seconds / (runs * rows)) * 1e6,
        unit: 'us',
      });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Replay speed: paper trader + 10 arena models kept full for a year of hourly bars (rule and PPO models,
// training excluded), at the replay's commit interval and at the per-bar commits of `start`; the earlier
// bench's workload; memory growth.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomStream } from '../src/core/random.js';
import { msToTimeframe } from '../src/core/timeframe.js';
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  type Normalisation,
  observationSize,
  updateFeatures,
} from '../src/features/index.js';
import type { MarketData } from '../src/market/market-data.js';
import { generateSyntheticMarket } from '../src/market/synth.js';
import {
  BUNDLE_SCHEMA_VERSION,
  type CommonManifest,
  sha256Hex,
  writeBundle,
} from '../src/models/bundle/index.js';
import { writeOnnxBundle } from '../src/models/onnx/index.js';
import { createPpoModel, ppoModelShape, resolvePpoParams } from '../src/models/ppo/index.js';
import { ppoBundleParts } from '../src/models/ppo/kind.js';
import { HISTORICAL_COMMIT } from '../src/runtime/commit-cadence.js';
import { type ReplayResult, runReplay } from '../src/runtime/replay.js';
import { resolveSimConfig } from '../src/sim/index.js';
import { configureDurability } from '../src/state/index.js';
import type { RankedTrial } from '../src/training/ranked-trials.js';
import type { BenchFigure } from './sim-bench.js';

const WARMUP = 200;
const YEAR = 8760;
const QUARTER = 2190;
const HOUR_MS = 3_600_000;

export type BenchModelKind = 'rule' | 'ppo' | 'onnx';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `count` distinct 2x64 tanh graphs (float32, seeded random weights) written by the Python module into
 * `dir` as g<k>.onnx; false when python3-onnx is not here.
 */
function writeGraphs(dir: string, inputs: number, outputs: number, count: number): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    const spec = { sizes: [inputs, 64, 64, outputs], count, seed: 1 };
    execFileSync(
      '/usr/bin/python3',
      [join(REPO, 'test/python/make_graph.py'), join(dir, 'g{k}.onnx'), JSON.stringify(spec)],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 300_000,
      },
    );
    return true;
  } catch {
    return false;
  }
}

/** Whether the ONNX replay can run here (python3-onnx builds its graphs). */
export function onnxGraphsAvailable(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'ht-onnx-probe-'));
  try {
    return writeGraphs(dir, 2, 2, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Which trials a replay gets, when, and with which training scores. */
export interface TrialStream {
  readonly trials: number;
  readonly releaseEveryMs: number;
  readonly score: (k: number) => number;
}

/**
 * One trial a simulated day, each scoring a little better: every release deploys at once and sends the
 * replaced model to the arena as a challenger, which keeps the champion's shadow + 9 challengers busy all
 * year (what "paper + 10 arena models" means).
 */
export const FULL_ARENA: TrialStream = { trials: 366, releaseEveryMs: 24 * HOUR_MS, score: (k) => k / 1000 };

/**
 * The earlier bench's stream: 11 trials in the first 11 hours, best first. The arena holds 10 models for
 * its first weeks only: challengers expire or get promoted and nobody replaces them.
 */
export const START_ONLY: TrialStream = { trials: 11, releaseEveryMs: HOUR_MS, score: (k) => 1 - k / 20 };

/** The fields every bench bundle shares (see CommonManifest). */
function commonFields(market: MarketData, k: number, score: number): CommonManifest {
  return {
    symbols: [...market.symbols],
    timeframe: msToTimeframe(market.timeframeMs),
    actionSize: market.symbols.length,
    params: {},
    trainingScore: score,
    study: 'bench',
    trialNumber: k,
    dataHash: 'bench',
    trainingWindow: null,
    validationWindows: [],
    packageVersion: 'bench',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * The stream's bundles as completed trials: SMA crossovers with varied windows, or PPO actors 2 x 64 with
 * seeded random weights (inference costs the same as a trained one's) on 12 features, normalised on the
 * warm-up bars.
 */
function benchTrials(
  root: string,
  market: MarketData,
  kind: BenchModelKind,
  stream: TrialStream,
): RankedTrial[] {
  const spec = { symbols: market.symbols, features: FEATURE_NAMES, lookback: 1 };
  let norm: Normalisation | null = null;
  if (kind !== 'rule') {
    const store = createFeatureStore(market, spec.features, WARMUP);
    updateFeatures(store, market);
    norm = fitNormalisation(store, 0, WARMUP);
  }
  const ppo = resolvePpoParams();
  const obs = observationSize(spec);
  const graphs = join(root, 'graphs');
  if (kind === 'onnx' && !writeGraphs(graphs, obs, market.symbols.length + 1, stream.trials))
    throw new Error('python3-onnx is needed to build the ONNX bench models');
  return Array.from({ length: stream.trials }, (_, k) => {
    const dir = join(root, 'models', 'bench', String(k));
    const score = stream.score(k);
    if (kind === 'rule') {
      const params = { fast: 6 + 2 * (k % 11), slow: 48 + 12 * (k % 11) };
      writeBundle(dir, {
        schemaVersion: BUNDLE_SCHEMA_VERSION,
        kind: 'rule',
        strategy: 'sma-cross',
        ...commonFields(market, k, score),
        params,
      });
    } else if (kind === 'onnx') {
      const model = readFileSync(join(graphs, `g${k}.onnx`));
      const n = market.symbols.length;
      writeOnnxBundle(
        dir,
        {
          schemaVersion: BUNDLE_SCHEMA_VERSION,
          kind: 'onnx',
          features: [...spec.features],
          lookback: spec.lookback,
          observationSize: obs,
          normalisation: norm!,
          onnx: {
            file: 'model.onnx',
            sha256: sha256Hex(model),
            input: { name: 'obs', dtype: 'float32', shape: ['batch', obs] },
            output: { name: 'logits', dtype: 'float32', shape: ['batch', n + 1] },
            outputMapping: 'softmax-cash-first',
          },
          ...commonFields(market, k, score),
        },
        model,
      );
    } else {
      const rng = new RandomStream(k, 'bench:replay-ppo');
      const shape = ppoModelShape({ observationSize: obs, actionSize: market.symbols.length }, ppo);
      const { actor } = createPpoModel(shape, () => rng.uniform());
      const params = { hiddenSize: ppo.hiddenSize, hiddenLayers: ppo.hiddenLayers };
      const parts = ppoBundleParts(spec, norm!, actor, params);
      writeBundle(
        dir,
        {
          schemaVersion: BUNDLE_SCHEMA_VERSION,
          ...parts.manifest,
          ...commonFields(market, k, score),
          params,
        },
        parts.files,
      );
    }
    return {
      study: 'bench',
      number: k,
      trialId: k + 1,
      value: score,
      modelPath: dir,
      completedAt: k,
      params: {},
    };
  });
}

/** Arena models stepped per bar, on average (benchmarks excluded). */
function meanArenaModels(result: ReplayResult): number {
  const points = result.series.filter((s) => s.kind === 'arena').reduce((n, s) => n + s.points.length, 0);
  return points / result.bars;
}

/**
 * A replay of `bars` hourly bars with `kind` models from `stream`, committed every `commitEvery` frames
 * (default: the historical cadence), timed (training and bundle writing excluded). Exported to run one
 * configuration alone (profiling).
 */
export async function timedReplay(
  kind: BenchModelKind,
  stream: TrialStream,
  bars: number,
  commitEvery: number | undefined,
  label: string,
  /** The bars to replay (default: the built-in market, hourly); needs bars + 200 warm-up frames. */
  history?: MarketData,
): Promise<{ figure: BenchFigure; seconds: number }> {
  const market = history ?? generateSyntheticMarket({ bars: bars + WARMUP });
  const root = mkdtempSync(join(tmpdir(), 'ht-replay-bench-'));
  try {
    const trials = benchTrials(root, market, kind, stream);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const result = await runReplay({
      root: join(root, 'run'),
      history: market,
      from: WARMUP,
      to: WARMUP + bars,
      mode: 'hybrid',
      studies: ['bench'],
      trials,
      releaseEveryMs: stream.releaseEveryMs,
      simConfig: resolveSimConfig(),
      packageVersion: 'bench',
      commitEvery,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    // CPU time too: on a shared machine wall time also counts other processes' turns
    const cpuSeconds = (used.user + used.system) / 1e6;
    return {
      seconds,
      figure: {
        name: label,
        value: result.bars / seconds,
        unit: 'bars/s',
        note: `${seconds.toFixed(2)} s for ${bars === YEAR && !history ? 'the year' : `${bars} bars`} (CPU ${cpuSeconds.toFixed(2)} s); ${meanArenaModels(result).toFixed(1)} arena models per bar on average; ${result.deployments} deployments, ${result.promotions} promotions`,
      },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export async function replayBenchmarks(): Promise<BenchFigure[]> {
  configureDurability({ fsync: false }); // as `replay` and `demo` run
  const figures: BenchFigure[] = [];
  const full = 'paper + 10 arena models';
  const every = `state committed every ${HISTORICAL_COMMIT.ms} ms of work (replay's default)`;
  const run = async (
    kind: BenchModelKind,
    stream: TrialStream,
    bars: number,
    commitEvery: number | undefined,
    label: string,
  ) => figures.push((await timedReplay(kind, stream, bars, commitEvery, label)).figure);
  await run('rule', FULL_ARENA, YEAR, undefined, `replay: ${full} (rules), 1 year hourly, ${every}`);
  // the earlier bench's workload, comparable with its figures in bench/results/history.jsonl
  await run(
    'rule',
    START_ONLY,
    YEAR,
    undefined,
    `replay: paper + 11 trials at the start (rules), 1 year hourly, ${every}`,
  );
  // a quarter is enough to see the cost of committing every frame, as `start` does by default
  await run(
    'rule',
    FULL_ARENA,
    QUARTER,
    1,
    `replay: ${full} (rules), ${QUARTER} bars hourly, state committed every bar (as start)`,
  );
  await run('ppo', FULL_ARENA, YEAR, undefined, `replay: ${full} (PPO 2x64), 1 year hourly, ${every}`);
  if (onnxGraphsAvailable())
    await run(
      'onnx',
      FULL_ARENA,
      YEAR,
      undefined,
      `replay: ${full} (ONNX 2x64, float32), 1 year hourly, ${every}`,
    );
  // Memory: heap after 1,000 and after 10,000 bars of one long replay (resumed in two steps).
  const long = generateSyntheticMarket({ bars: 10_000 + WARMUP });
  const memRoot = mkdtempSync(join(tmpdir(), 'ht-replay-mem-'));
  try {
    const trials = benchTrials(memRoot, long, 'rule', FULL_ARENA);
    const base = {
      history: long,
      mode: 'hybrid' as const,
      studies: ['bench'],
      trials,
      releaseEveryMs: FULL_ARENA.releaseEveryMs,
      simConfig: resolveSimConfig(),
      packageVersion: 'bench',
    };
    // The result (its series hold a point per bar and model) is dropped inside the helper: awaited here, it
    // stayed reachable from this function's suspended frame and was counted as the replay's heap.
    const replayTo = async (bars: number): Promise<void> => {
      await runReplay({ ...base, root: join(memRoot, 'run'), from: WARMUP, to: WARMUP + bars });
    };
    await replayTo(1_000);
    const after1k = heapAfterGc();
    await replayTo(10_000);
    const after10k = heapAfterGc();
    figures.push({ name: 'replay heap after 1,000 bars', value: after1k / 2 ** 20, unit: 'MiB' });
    figures.push({ name: 'replay heap after 10,000 bars', value: after10k / 2 ** 20, unit: 'MiB' });
    figures.push({
      name: 'heap growth 1,000 -> 10,000 bars',
      value: (after10k / after1k - 1) * 100,
      unit: '%',
    });
  } finally {
    rmSync(memRoot, { recursive: true, force: true });
  }
  return figures;
}

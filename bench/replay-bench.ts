// Replay speed with the paper trader + 10 arena models (rule models, training excluded), and memory growth.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticMarket } from '../src/market/synth.js';
import { writeBundle } from '../src/models/bundle/index.js';
import { runReplay } from '../src/runtime/replay.js';
import { resolveSimConfig } from '../src/sim/index.js';
import { configureDurability } from '../src/state/index.js';
import type { RankedTrial } from '../src/training/ranked-trials.js';
import type { BenchFigure } from './sim-bench.js';

/** 11 SMA-crossover bundles with different windows, as completed trials released at the start. */
function ruleTrials(root: string, symbols: readonly string[]): RankedTrial[] {
  return Array.from({ length: 11 }, (_, k) => {
    const dir = join(root, 'models', 'bench', String(k));
    writeBundle(
      dir,
      {
        schemaVersion: 1,
        kind: 'rule',
        strategy: 'sma-cross',
        symbols: [...symbols],
        timeframe: '1h',
        features: [],
        lookback: 0,
        observationSize: 0,
        actionSize: symbols.length,
        normalisation: null,
        params: { fast: 6 + 2 * k, slow: 48 + 12 * k },
        trainingScore: 1 - k / 20,
        study: 'bench',
        trialNumber: k,
        dataHash: 'bench',
        trainingWindow: null,
        validationWindows: [],
        packageVersion: 'bench',
        createdAt: '2026-01-01T00:00:00.000Z',
        network: null,
        members: null,
      },
      null,
    );
    return {
      study: 'bench',
      number: k,
      trialId: k + 1,
      value: 1 - k / 20,
      modelPath: dir,
      completedAt: k,
      params: {},
    };
  });
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export function replayBenchmarks(): BenchFigure[] {
  configureDurability({ fsync: false });
  const figures: BenchFigure[] = [];
  const year = generateSyntheticMarket({ bars: 8760 + 200 });
  const root = mkdtempSync(join(tmpdir(), 'ht-replay-bench-'));
  try {
    const trials = ruleTrials(root, year.symbols);
    const started = process.hrtime.bigint();
    const result = runReplay({
      root: join(root, 'run'),
      history: year,
      from: 200,
      to: year.length,
      mode: 'hybrid',
      studies: ['bench'],
      trials,
      releaseEveryMs: 3_600_000,
      simConfig: resolveSimConfig(),
      packageVersion: 'bench',
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    figures.push({
      name: `replay: paper + ${Math.min(10, trials.length - 1)} arena models (rules), 1 year hourly, state files every bar`,
      value: result.bars / seconds,
      unit: 'bars/s',
      note: `${seconds.toFixed(1)} s for the year`,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  // Memory: heap after 1,000 and after 10,000 bars of one long replay (resumed in two steps).
  const long = generateSyntheticMarket({ bars: 10_200 });
  const memRoot = mkdtempSync(join(tmpdir(), 'ht-replay-mem-'));
  try {
    const trials = ruleTrials(memRoot, long.symbols);
    const base = {
      history: long,
      mode: 'hybrid' as const,
      studies: ['bench'],
      trials,
      releaseEveryMs: 3_600_000,
      simConfig: resolveSimConfig(),
      packageVersion: 'bench',
    };
    runReplay({ ...base, root: join(memRoot, 'run'), from: 200, to: 1_200 });
    const after1k = heapAfterGc();
    runReplay({ ...base, root: join(memRoot, 'run'), from: 200, to: 10_200 });
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

// `npm run bench`: prints throughput figures and keeps a machine-readable copy in bench/results/.
import { execSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createFeatureStore, FEATURE_NAMES, updateFeatures } from '../src/features/index.js';
import { generateSyntheticMarket } from '../src/market/synth.js';
import { dataBenchmarks } from './data-bench.js';
import { distributedBenchmarks } from './distributed-bench.js';
import { gateStudyBenchmarks } from './gate-study-bench.js';
import { measure, si } from './measure.js';
import { onnxBenchmarks } from './onnx-bench.js';
import { ppoBenchmarks } from './ppo-bench.js';
import { replayBenchmarks } from './replay-bench.js';
import { type BenchFigure, simBenchmarks } from './sim-bench.js';
import { trainingBenchmarks } from './training-bench.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));

function gitSha(): string | null {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** The kernels: synthetic market, features, simulator, ONNX and PPO (one market, made once). */
async function kernelBenchmarks(): Promise<BenchFigure[]> {
  const synth = measure(() => generateSyntheticMarket(), { warmup: 1, minRuns: 3 });
  const market = generateSyntheticMarket();
  const features = measure(
    () => updateFeatures(createFeatureStore(market, FEATURE_NAMES, market.length), market),
    { warmup: 1, minRuns: 3 },
  );
  return [
    { name: 'synthetic market, 7 assets x 8760 h', value: synth.seconds * 1000, unit: 'ms' },
    {
      name: `features, ${FEATURE_NAMES.length} per asset, 7 assets x 8760 h`,
      value: features.seconds * 1000,
      unit: 'ms',
    },
    ...simBenchmarks(market),
    ...onnxBenchmarks(market),
    ...ppoBenchmarks(market),
  ];
}

/**
 * The groups of the bench, in the order a whole run prints them; `npm run bench -- --only <group>` runs
 * one alone (printed, not recorded): e.g. kernels, training and replay are the figures of the bench before
 * the data, distributed and gate-study groups were added, for comparing with its older results.
 */
const GROUPS: Readonly<Record<string, () => Promise<BenchFigure[]>>> = {
  kernels: kernelBenchmarks,
  training: trainingBenchmarks,
  distributed: distributedBenchmarks,
  replay: replayBenchmarks,
  'gate-study': gateStudyBenchmarks,
  data: dataBenchmarks,
};

/** The group named by `--only`, or null for the whole bench; an unknown name is refused, not ignored. */
function only(): string | null {
  const i = process.argv.indexOf('--only');
  if (i < 0) return null;
  const group = process.argv[i + 1];
  if (group === undefined || !Object.hasOwn(GROUPS, group)) {
    console.error(`--only takes one of: ${Object.keys(GROUPS).join(', ')} (got ${group ?? 'nothing'})`);
    process.exit(2);
  }
  return group;
}

async function main(): Promise<void> {
  const group = only();
  if (group !== null) {
    report(await GROUPS[group]!(), false);
    return;
  }
  const figures: BenchFigure[] = [];
  for (const run of Object.values(GROUPS)) figures.push(...(await run()));
  report(figures);
}

/** Prints the figures; a full run also records them in bench/results/. */
function report(figures: BenchFigure[], record = true): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) {
    const value =
      f.unit === 'ratio' || f.unit === 's/trial'
        ? f.value.toFixed(3)
        : f.unit === 'ms' || f.unit === 'us'
          ? f.value.toFixed(1)
          : si(f.value);
    console.log(
      `${f.name.padEnd(width)}  ${value} ${f.unit === 'ratio' ? '' : f.unit}${f.note ? `  (${f.note})` : ''}`,
    );
  }
  if (!record) return;
  const result = {
    date: new Date().toISOString(),
    commit: gitSha(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    figures,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(`${RESULTS}latest.json`, `${JSON.stringify(result, null, 2)}\n`);
  appendFileSync(`${RESULTS}history.jsonl`, `${JSON.stringify(result)}\n`);
  console.log(`\nwritten to bench/results/latest.json (history in bench/results/history.jsonl)`);
}

await main();

// Builds what a worker needs to run trials of a study from the plain TrainOptions it was given.
import { ConfigError } from '../../core/errors.js';
import { indexAtOrAfter, isoTs, type MarketData, sliceMarketData } from '../../market/market-data.js';
import { loadMarketSourceWithReport } from '../../market/source.js';
import { windowWarnings } from '../../market/window-warnings.js';
import { marketDataHash } from '../../models/bundle/index.js';
import { resolveSimConfig } from '../../sim/index.js';
import { openArtifactStore } from '../artifacts/index.js';
import { parseKindOption } from '../kinds/index.js';
import { walkForwardWindows } from '../objective/index.js';
import { MedianPruner } from '../pruners/index.js';
import type { StudyJob } from '../run-trial.js';
import { RandomSampler, type Sampler, TpeSampler } from '../samplers/index.js';
import { openStudyStorage, type StudyStorage } from '../storage/index.js';
import type { TrainOptions } from './train-options.js';

export function createSampler(options: Pick<TrainOptions, 'sampler' | 'seed'>): Sampler {
  return options.sampler === 'random'
    ? new RandomSampler({ seed: options.seed })
    : new TpeSampler({ seed: options.seed });
}

/**
 * The bars [fromMs, toMs) of `data` (all of them when both are null): the only bars a study trains and
 * validates on. ConfigError when the window holds no bar.
 */
export function trainingData(data: MarketData, fromMs: number | null, toMs: number | null): MarketData {
  if (fromMs === null && toMs === null) return data;
  const from = fromMs === null ? 0 : indexAtOrAfter(data, fromMs);
  const to = toMs === null ? data.length : indexAtOrAfter(data, toMs);
  if (to <= from)
    throw new ConfigError(
      'TRAIN_WINDOW_EMPTY',
      `no bars between --from ${fromMs === null ? 'the start' : isoTs(fromMs)} and --to ${toMs === null ? 'the end' : isoTs(toMs)} (the data covers ${isoTs(data.ts[0] ?? Number.NaN)} .. ${isoTs(data.ts[data.length - 1] ?? Number.NaN)})`,
      { fromMs, toMs },
    );
  return sliceMarketData(data, from, to);
}

/**
 * Opens the storage and the study (creating it if needed) and loads the market. `warn` receives each way
 * the data trims the --from/--to window (windowWarnings): the command passes it, its worker threads do not,
 * so a warning is said once.
 */
export async function openStudyJob(
  options: TrainOptions,
  packageVersion: string,
  storage?: StudyStorage,
  warn?: (warning: string) => void,
): Promise<StudyJob> {
  const store = storage ?? (await openStudyStorage(options.storageUrl, { baseDir: options.root }));
  const study = await store.createStudy(options.study, 'maximize', { loadIfExists: true });
  const artifacts = await openArtifactStore(options.artifacts, options.storageUrl, options.root);
  const { data, report } = loadMarketSourceWithReport(options.data, {
    onDuplicate: options.onDuplicate,
    cacheDir: options.dataCacheDir ?? undefined,
    bounds: options.dataBounds ?? undefined,
  });
  if (warn)
    for (const warning of windowWarnings(data, report, {
      fromTs: options.fromMs ?? undefined,
      toTs: options.toMs ?? undefined,
    }))
      warn(warning);
  const market = trainingData(data, options.fromMs, options.toMs);
  const windows = walkForwardWindows(market.length, options.walkForward);
  return {
    storage: store,
    artifacts,
    study,
    sampler: createSampler(options),
    // Each step reports the score over the folds so far, so the latest values line up across trials. The
    // first fold alone is too noisy to prune on, and pruned trials count in the median: comparing only with
    // the few completed ones pruned almost everything (the old system pruned 95 % of its trials).
    pruner: new MedianPruner({
      nStartupTrials: 5,
      nWarmupSteps: 1,
      compare: 'latest',
      includePrunedTrials: true,
    }),
    market,
    walkForward: options.walkForward,
    windows,
    simConfig: resolveSimConfig(options.sim),
    kind: parseKindOption(options.kind),
    budget: { totalSteps: options.ppoSteps },
    seed: options.seed,
    visibleLag: options.deterministic ? options.workers - 1 : null,
    root: options.root,
    dataHash: marketDataHash(market, windows.train.from, windows.train.to),
    packageVersion,
  };
}

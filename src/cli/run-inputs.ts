// What `replay` and `start` both need before they run the lifecycle: mode, bars, window and trial stream.
import { ConfigError } from '../core/errors.js';
import { type DeploymentMode, DeploymentModeSchema } from '../lifecycle/deployer/index.js';
import { indexAtOrAfter, isoTs, type MarketData } from '../market/market-data.js';
import type { MarketSourceOptions } from '../market/source.js';
import { openArtifactStore, TrialBundles } from '../training/artifacts/index.js';
import { mergeRanked, type RankedTrial, rankedTrials } from '../training/ranked-trials.js';
import { openStudyStorage } from '../training/storage/index.js';
import { loadCommandData } from './data-options.js';

/** A deployment mode from a flag value; ConfigError naming the accepted ones otherwise. */
export function parseMode(value: string): DeploymentMode {
  const parsed = DeploymentModeSchema.safeParse(value);
  if (!parsed.success)
    throw new ConfigError(
      'MODE_UNKNOWN',
      `--mode must be one of ${DeploymentModeSchema.options.join(', ')}, was "${value}"`,
    );
  return parsed.data;
}

export interface RunWindow {
  readonly history: MarketData;
  readonly from: number;
  readonly to: number;
  readonly trials: RankedTrial[];
}

/**
 * Loads the bars (`--data`), the window [--from, --to) and the completed trials of the studies from the
 * storage under `root`. Refuses an empty window and studies without completed trials.
 */
export async function loadRunWindow(
  root: string,
  flags: {
    data: string;
    from?: number;
    to?: number;
    storage: string;
    artifacts?: string;
    study: readonly string[];
  },
  dataOptions: MarketSourceOptions = {},
): Promise<RunWindow> {
  const history = loadCommandData(flags.data, dataOptions, { fromTs: flags.from, toTs: flags.to });
  const from = flags.from === undefined ? 0 : indexAtOrAfter(history, flags.from);
  const to = flags.to === undefined ? history.length : indexAtOrAfter(history, flags.to);
  if (to - from < 2)
    throw new ConfigError(
      'REPLAY_WINDOW_EMPTY',
      `no bars to run between ${isoTs(history.ts[from] ?? Number.NaN)} and the end`,
    );
  // every trial is released at some point of a replay: all published bundles are made local
  const trials = await localCompletedTrials(root, flags, flags.study, { top: Number.POSITIVE_INFINITY });
  if (trials.length === 0)
    throw new ConfigError(
      'NO_TRIALS',
      `studies ${flags.study.join(', ')} have no completed trials with a model_path in ${flags.storage}`,
    );
  return { history, from, to, trials };
}

/**
 * The studies' completed trials, best first within each study one study after the other (or, with
 * `bestFirst`, best first across them), with the bundles of the `top` first (default 20) made local:
 * fetched from the artifact store (`--artifacts`) and checked, when workers on other hosts published
 * them. A trial whose bundle cannot be had is left out and said so on stderr.
 */
export async function localCompletedTrials(
  root: string,
  flags: { storage: string; artifacts?: string },
  studies: readonly string[],
  options: { top?: number; bestFirst?: boolean } = {},
): Promise<RankedTrial[]> {
  const storage = await openStudyStorage(flags.storage, { baseDir: root });
  const perStudy: RankedTrial[][] = [];
  try {
    for (const s of studies) perStudy.push(await rankedTrials(storage, s, root));
  } finally {
    await storage.close();
  }
  const ranked = options.bestFirst ? mergeRanked(...perStudy) : perStudy.flat();
  const store = await openArtifactStore(flags.artifacts ?? 'auto', flags.storage, root);
  try {
    const bundles = new TrialBundles({
      store,
      root,
      top: options.top,
      onFetched: (t, dir) =>
        process.stderr.write(`fetched the bundle of trial ${t.number} of ${t.study} into ${dir} (checked)\n`),
      onProblem: (t, problem) =>
        process.stderr.write(
          `trial ${t.number} of ${t.study} left out: [${problem.code}] ${problem.message}\n`,
        ),
    });
    return await bundles.local(ranked);
  } finally {
    await store?.close();
  }
}

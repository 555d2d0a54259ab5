// What `replay` and `start` both need before they run the lifecycle: mode, bars, window and trial stream.
import { ConfigError } from '../core/errors.js';
import { type DeploymentMode, DeploymentModeSchema } from '../lifecycle/deployer/index.js';
import { indexAtOrAfter, isoTs, type MarketData } from '../market/market-data.js';
import type { MarketSourceOptions } from '../market/source.js';
import { type RankedTrial, rankedTrials } from '../training/ranked-trials.js';
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
  flags: { data: string; from?: number; to?: number; storage: string; study: readonly string[] },
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
  const storage = await openStudyStorage(flags.storage, { baseDir: root });
  const trials: RankedTrial[] = [];
  try {
    for (const s of flags.study) trials.push(...(await rankedTrials(storage, s, root)));
  } finally {
    await storage.close();
  }
  if (trials.length === 0)
    throw new ConfigError(
      'NO_TRIALS',
      `studies ${flags.study.join(', ')} have no completed trials with a model_path in ${flags.storage}`,
    );
  return { history, from, to, trials };
}

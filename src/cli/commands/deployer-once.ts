// `hybrid-trader deployer --once`: one deployer cycle at the last frame the paper trader applied (for a
// workspace whose services run separately, or from cron), then exit. Exactly once still holds: a cycle
// already applied at that frame is not run again.
import { ConfigError } from '../../core/errors.js';
import { createReplayFeed } from '../../feeds/index.js';
import { PaperStateSchema, paperPaths } from '../../lifecycle/paper/index.js';
import { isoTs } from '../../market/market-data.js';
import { loadMarketSource } from '../../market/source.js';
import { runFrameLoop } from '../../runtime/frame-loop.js';
import { openLifecycle } from '../../runtime/lifecycle.js';
import { readJsonFile } from '../../state/index.js';
import { resolveDataOptions } from '../data-options.js';
import { localCompletedTrials } from '../run-inputs.js';
import { type ServiceFlags, serviceInputs } from '../service-command.js';
import { simConfigFromFlags } from '../sim-options.js';
import { VERSION } from '../version.js';

export async function runDeployerOnce(flags: ServiceFlags): Promise<void> {
  if (flags.live)
    throw new ConfigError(
      'ONCE_NEEDS_DATA',
      'deployer --once reads the bars from --data (the file the feed wrote or fetched)',
    );
  const { root, config, studies, mode, storage, artifacts } = serviceInputs(flags);
  const paper = readJsonFile(paperPaths(root).state, PaperStateSchema);
  if (paper?.lastBarTs == null) {
    process.stdout.write('the paper trader has not applied a frame yet: no cycle to run\n');
    return;
  }
  const history = loadMarketSource(flags.data, resolveDataOptions(flags, config.data, root));
  const t = history.ts.indexOf(paper.lastBarTs);
  if (t < 0)
    throw new ConfigError(
      'ONCE_FRAME_MISSING',
      `--data ${flags.data} has no frame at ${isoTs(paper.lastBarTs)}, the paper trader's last frame`,
    );
  // The best trials' bundles made local first: fetched and checked when workers elsewhere published them.
  const trials = await localCompletedTrials(root, { storage, artifacts }, studies, { bestFirst: true });
  // The frame loop on that one frame, the deployer alone: the lock, the commit and the heartbeat as always.
  let cycled = false;
  const { life } = await runFrameLoop({
    root,
    feed: createReplayFeed(history, t, t + 1),
    services: ['deployer'],
    hooks: [
      {
        afterFrame(_frame, _life, applied) {
          cycled = applied.deployer;
        },
      },
    ],
    lifecycle: (feed) =>
      openLifecycle({
        root,
        market: feed.market,
        simConfig: simConfigFromFlags(flags, config.sim),
        deployer: {
          mode,
          studies,
          scoreMargin: config.deployer.scoreMargin,
          policy: config.deployer.policy,
          protection: config.deployer.protection,
        },
        arena: config.arena,
        trialsAt: () => trials,
        packageVersion: VERSION,
      }),
  });
  const last = life.deployer.lastBarTs;
  if (!cycled) {
    process.stdout.write(`the deployer is up to date (last cycle at ${isoTs(last!)}): nothing to do\n`);
    return;
  }
  const decisions = life.deployer.lastDecisions;
  process.stdout.write(`cycle at ${isoTs(last!)}: ${trials.length} completed trial(s) considered\n`);
  for (const e of decisions)
    process.stdout.write(`  ${e.action.padEnd(7)} ${(e.modelId ?? '').padEnd(10)} ${e.reason}\n`);
  if (decisions.length === 0) process.stdout.write('  no decision: nothing better to deploy, no candidate\n');
  process.stdout.write(`deployed: ${life.deployer.current?.modelId ?? 'nothing'}\n`);
}

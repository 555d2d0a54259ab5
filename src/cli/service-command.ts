// What `start`, `paper`, `arena` and `deployer` share: the feed flags (replay data or --live), the trial
// stream, the frame loop's run, and the optional server.
import type { Command } from 'commander';
import { loadWorkspaceConfig, type WorkspaceConfig } from '../config/workspace-config.js';
import { ConfigError } from '../core/errors.js';
import { PaperStateSchema, paperPaths } from '../lifecycle/paper/index.js';
import { indexAtOrAfter } from '../market/market-data.js';
import { inSampleModels, inSampleWarning } from '../runtime/in-sample.js';
import type { SteppedService } from '../runtime/lifecycle.js';
import { refuseIfLocked } from '../runtime/run-lock.js';
import { type FeedSource, runServices } from '../runtime/service-host.js';
import { scheduleReleases } from '../runtime/trial-release.js';
import { configureDurability, readJsonFile } from '../state/index.js';
import { addDataOptions, type DataFlags, loadCommandData, resolveDataOptions } from './data-options.js';
import { detachedReadyHook, runDetached } from './detach.js';
import { addCommitEveryOption, intOption, isoOption, listOption } from './options.js';
import { ROOT_HELP, workspaceRoot } from './root.js';
import { loadRunWindow, parseMode } from './run-inputs.js';
import { addSimOptions, type SimFlags, simConfigFromFlags } from './sim-options.js';
import { addStorageOptions, resolveStorage, type StorageFlags } from './storage-options.js';
import { VERSION } from './version.js';

export interface ServiceFlags extends SimFlags, DataFlags, StorageFlags {
  study?: string[];
  data: string;
  from?: number;
  to?: number;
  mode?: string;
  hybridMode?: boolean;
  releaseEvery: number;
  commitEvery?: number;
  live?: boolean;
  exchangeApiUrl?: string;
  train?: boolean;
  root?: string;
  detach?: boolean;
}

/** The feed and trial-stream flags of every service command. */
export function addServiceOptions(cmd: Command): Command {
  cmd
    .option(
      '--study <names>',
      'studies whose completed trials are deployed (default: hybrid.config.json)',
      listOption('--study'),
    )
    .option('--data <file|builtin>', 'bars of the replay feed: file(s) or builtin[?seed=N&bars=N]', 'builtin')
    .option('--live', 'run on closed bars from the exchange of hybrid.config.json (ccxt) instead of --data')
    .option('--exchange-api-url <url>', 'with --live: the exchange API base URL (a proxy, or a test server)')
    .option(
      '--from <iso>',
      'first bar (replay: earlier bars are warm-up history; --live: a fresh workspace catches up from there)',
      isoOption('--from'),
    )
    .option('--to <iso>', 'replay: end, exclusive', isoOption('--to'))
    .option(
      '--mode <mode>',
      'hybrid | training-only | arena-only | ensemble (default: hybrid.config.json, else hybrid)',
    )
    .option('--hybrid-mode', 'alias of --mode hybrid')
    .option(
      '--release-every <hours>',
      'replay: one completed trial becomes available every N simulated hours',
      intOption('--release-every', 1),
      24,
    )
    .option('--root <dir>', ROOT_HELP)
    .option('--detach', 'run in the background (output in logs/supervisor.log); `stop` ends it');
  return addDataOptions(addSimOptions(addCommitEveryOption(addStorageOptions(cmd))));
}

export interface ServiceRunInputs {
  readonly root: string;
  readonly config: WorkspaceConfig;
  readonly studies: string[];
  readonly mode: ReturnType<typeof parseMode>;
  /** Study storage URL and artifact store: the flags, else hybrid.config.json's storage section. */
  readonly storage: string;
  readonly artifacts: string;
}

/** Root, configuration, studies and mode, with the lock checked first (a second supervisor refuses). */
export function serviceInputs(flags: ServiceFlags): ServiceRunInputs {
  const root = workspaceRoot(flags.root);
  refuseIfLocked(root);
  const config = loadWorkspaceConfig(root);
  const studies = flags.study ?? config.deployer.studies;
  if (studies.length === 0)
    throw new ConfigError(
      'NO_STUDY',
      'name the studies to deploy from: --study NAME, or deployer.studies in hybrid.config.json',
    );
  const mode = parseMode(flags.hybridMode ? 'hybrid' : (flags.mode ?? config.deployer.mode));
  return { root, config, studies, mode, ...resolveStorage(flags, config.storage) };
}

/** The feed source from the flags: live, or the --data bars with trials released at simulated times. */
async function feedSource(flags: ServiceFlags, inputs: ServiceRunInputs): Promise<FeedSource> {
  if (flags.live) {
    if (flags.commitEvery !== undefined)
      throw new ConfigError(
        'COMMIT_EVERY_LIVE',
        '--commit-every only applies to historical bars (--data): a live feed commits every frame',
      );
    return { kind: 'live', apiUrl: flags.exchangeApiUrl, from: flags.from };
  }
  if (flags.exchangeApiUrl)
    throw new ConfigError('FLAG_NEEDS_LIVE', '--exchange-api-url only applies with --live');
  if (flags.train) {
    // The trainer feeds the deployer from the storage: no trials need to exist yet.
    const history = loadCommandData(flags.data, resolveDataOptions(flags, inputs.config.data, inputs.root), {
      fromTs: flags.from,
      toTs: flags.to,
    });
    const from = flags.from === undefined ? 0 : indexAtOrAfter(history, flags.from);
    const to = flags.to === undefined ? history.length : indexAtOrAfter(history, flags.to);
    return { kind: 'replay', history, from, to, trialsAt: () => [] };
  }
  const { history, from, to, trials } = await loadRunWindow(
    inputs.root,
    { ...flags, storage: inputs.storage, artifacts: inputs.artifacts, study: inputs.studies },
    resolveDataOptions(flags, inputs.config.data, inputs.root),
  );
  // Said, not refused: a supervised run is not a comparison, but its figures must not pass for out-of-sample.
  for (const m of inSampleModels(inputs.root, trials, history, from, to))
    process.stderr.write(`${inSampleWarning(m)}\n`);
  const { trialsAt } = scheduleReleases(trials, history.ts[from]!, flags.releaseEvery * 3_600_000);
  return { kind: 'replay', history, from, to, trialsAt };
}

/** Runs `services` under the supervisor until the feed ends or a stop; prints what happened. */
export async function runServiceCommand(
  flags: ServiceFlags,
  services: readonly SteppedService[],
  extra: { train?: boolean; serve?: { host: string; port: number } | null } = {},
): Promise<void> {
  const inputs = serviceInputs(flags);
  if (flags.detach) {
    await runDetached(inputs.root);
    return;
  }
  // The paper trader alone trades only the model it holds: with none, say so before (and after) the run.
  const idle = !services.includes('deployer') && services.includes('paper') && !paperHoldsModel(inputs.root);
  if (idle)
    process.stderr.write(
      `warning: nothing is deployed in ${inputs.root}: the paper trader alone trades only the model it holds, so it will hold cash on every bar; deploy first (hybrid-trader deployer --once ...) or run hybrid-trader start\n`,
    );
  const source = await feedSource(flags, inputs);
  // A replay feed can always be run again; live bars keep fsync (they cannot be fetched back for free).
  configureDurability({ fsync: source.kind === 'live' });
  const server = extra.serve ? await startDashboard(inputs.root, inputs.storage, extra.serve) : null;
  try {
    const run = await runServices({
      root: inputs.root,
      config: inputs.config,
      mode: inputs.mode,
      studies: inputs.studies,
      simConfig: simConfigFromFlags(flags, inputs.config.sim),
      services,
      source,
      storageUrl: inputs.storage,
      artifacts: inputs.artifacts,
      train: extra.train === true,
      packageVersion: VERSION,
      commitEvery: flags.commitEvery,
      hooks: [detachedReadyHook()].filter((h) => h !== null),
    });
    process.stdout.write(
      `${run.stopped ? 'stopped' : 'finished'} after ${run.frames} frame(s) in this run` +
        `${run.restarts > 0 ? `, ${run.restarts} restart(s)` : ''}` +
        `${idle && !paperHoldsModel(inputs.root) ? '; nothing was deployed: the paper trader held cash' : ''}\n`,
    );
  } finally {
    await server?.close();
  }
}

/** Whether the workspace's paper trader holds a model (its state file names one); unreadable: assume it does. */
function paperHoldsModel(root: string): boolean {
  try {
    const state = readJsonFile(paperPaths(root).state, PaperStateSchema);
    return state?.modelId != null;
  } catch {
    return true; // the checks every start runs report the file
  }
}

async function startDashboard(root: string, storage: string, at: { host: string; port: number }) {
  const { API_TOKEN_ENV, startServer } = await import('../server/index.js');
  const server = await startServer({
    root,
    version: VERSION,
    storage,
    token: process.env[API_TOKEN_ENV] || undefined,
    host: at.host,
    port: at.port,
  });
  process.stdout.write(`serving ${root} at ${server.url}\n`);
  return server;
}

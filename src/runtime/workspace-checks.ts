// Every check a start runs on a workspace, read-only: `status` reports them all, a start refuses on errors.
import { join } from 'node:path';
import type { z } from 'zod';
import { HybridTraderError, StateError } from '../core/errors.js';
import { timeframeToMs } from '../core/timeframe.js';
import { fromWorkspacePath, isOutsideWorkspace } from '../core/workspace-path.js';
import {
  type ArenaState,
  ArenaStateSchema,
  arenaPaths,
  isActive,
  PromotionCandidateSchema,
} from '../lifecycle/arena/index.js';
import type { ModelRef } from '../lifecycle/contracts.js';
import {
  DEPLOYMENT_HISTORY_FILE,
  DEPLOYMENT_STATE_FILE,
  type DeploymentState,
  DeploymentStateSchema,
  HistoryEntrySchema,
  modelIdOf,
} from '../lifecycle/deployer/index.js';
import {
  checkEquityJournal,
  EquityLineSchema,
  type PaperState,
  PaperStateSchema,
  paperPaths,
  TradeLineSchema,
} from '../lifecycle/paper/index.js';
import { loadModelBundle, readManifest } from '../models/bundle/index.js';
import { checkJournal, type JournalMark, parseJournalLine, parseJsonText } from '../state/index.js';
import { inspectSqliteFile } from '../training/storage/sqlite-driver.js';
import { HEARTBEAT_PATH, HeartbeatSchema } from './heartbeat.js';
import { checkBundleUnchanged } from './policy-loader.js';
import { viewWorkspace, type WorkspaceView } from './workspace-view.js';

/** error: a start refuses the workspace; warning: it starts, but something needs a person's attention. */
export type ProblemSeverity = 'error' | 'warning';

export interface WorkspaceProblem {
  readonly file: string;
  /** The stable code of the error a start raises (or would report) for it. */
  readonly code: string;
  readonly error: string;
  readonly severity: ProblemSeverity;
}

export interface InspectOptions {
  /** Wall time (ms): a live workspace whose state claims bars after it is refused. */
  readonly nowMs: number;
  /** Also load the deployed model and check every arena member's bundle (status; a start loads them itself). */
  readonly checkModels: boolean;
  /**
   * Also validate the workspace's configuration file by loading it (status; the commands that start have
   * loaded it already). Passed in: the configuration module composes this layer's sections.
   */
  readonly config: { readonly file: string; readonly load: () => unknown } | null;
}

/** What the workspace holds as the next start will read it (null: absent or unreadable). */
export interface InspectedWorkspace {
  readonly problems: WorkspaceProblem[];
  readonly paper: PaperState | null;
  readonly arena: ArenaState | null;
  readonly deployment: DeploymentState | null;
  /** A commit interrupted by a crash will be completed at the next start. */
  readonly pendingCommit: boolean;
}

const JOURNAL_HINT = 'restore it from a backup, or delete the "journals" field of the state file to adopt it';

/** Inspects the workspace at `root` (read-only): every problem a start would refuse, and what it would warn about. */
export function inspectWorkspace(root: string, options: InspectOptions): InspectedWorkspace {
  const problems: WorkspaceProblem[] = [];
  const add = (file: string, code: string, error: string, severity: ProblemSeverity = 'error') =>
    problems.push({ file, code, error, severity });
  const addError = (file: string, error: unknown, severity: ProblemSeverity = 'error') => {
    if (error instanceof HybridTraderError) add(file, error.code, error.message, severity);
    else
      add(file, 'UNREADABLE', `${file}: ${error instanceof Error ? error.message : String(error)}`, severity);
  };
  if (options.config)
    try {
      options.config.load();
    } catch (error) {
      addError(options.config.file, error);
    }
  const view = viewWorkspace(root);
  if (view.recordError) addError(String(view.recordError.context.path ?? 'run/state.redo'), view.recordError);
  const read = <S extends z.ZodType>(path: string, schema: S): z.infer<S> | null => {
    try {
      const bytes = view.read(path);
      return bytes === null ? null : parseJsonText(path, bytes.toString('utf8'), schema);
    } catch (error) {
      addError(path, error);
      return null;
    }
  };
  const pp = paperPaths(root);
  const paper = read(pp.state, PaperStateSchema);
  const arena = read(arenaPaths(root).state, ArenaStateSchema);
  const deployment = read(join(root, DEPLOYMENT_STATE_FILE), DeploymentStateSchema);
  read(arenaPaths(root).candidate, PromotionCandidateSchema);
  const beat = read(join(root, HEARTBEAT_PATH), HeartbeatSchema);

  const reader: JournalReader = { view, add, addError };
  checkPaperJournals(reader, pp, paper);
  checkHistoryJournal(reader, root, deployment);
  if (beat?.feed === 'live') checkNotInFuture(paper, arena, deployment, options.nowMs, pp.state, add);
  crossCheck(root, paper, arena, deployment, add);
  if (options.checkModels) checkModels(root, paper, arena, add);
  const storage = join(root, 'studies.db');
  const storageProblem = inspectSqliteFile(storage);
  if (storageProblem !== null) add(storage, 'STUDY_STORAGE_INVALID', storageProblem);
  return { problems, paper, arena, deployment, pendingCommit: view.pendingCommit };
}

/**
 * Throws StateError when the workspace has a problem a start refuses (the first problem's code; the
 * message lists every one), before anything is written. Warnings are the services' to report.
 */
export function assertWorkspaceSound(root: string, nowMs: number): void {
  const errors = inspectWorkspace(root, { nowMs, checkModels: false, config: null }).problems.filter(
    (p) => p.severity === 'error',
  );
  if (errors.length === 0) return;
  const first = errors[0]!;
  throw new StateError(
    first.code,
    errors.length === 1
      ? first.error
      : `${errors.length} problems (hybrid-trader status lists them): ${errors.map((p, k) => `${k + 1}) [${p.code}] ${p.error}`).join('; ')}`,
    { problems: errors.map((p) => ({ file: p.file, code: p.code })) },
  );
}

type Add = (file: string, code: string, error: string, severity?: ProblemSeverity) => void;
type AddError = (file: string, error: unknown, severity?: ProblemSeverity) => void;
/** What the journal checks read through and report to. */
interface JournalReader {
  readonly view: WorkspaceView;
  readonly add: Add;
  readonly addError: AddError;
}

/**
 * A journal against the mark its state file recorded: committed bytes intact; what follows them only the
 * leftovers of an interrupted frame (`isLeftover`), which the start drops. Without a mark (a file of an
 * older version), every line must parse. Returns the journal's complete lines as they will be kept.
 */
function checkOneJournal<S extends z.ZodType>(
  { view, add, addError }: JournalReader,
  path: string,
  mark: JournalMark | undefined,
  schema: S,
  isLeftover: (entry: z.infer<S>) => boolean,
): z.infer<S>[] | null {
  const bytes = view.read(path);
  let kept = bytes ?? Buffer.alloc(0);
  if (mark !== undefined) {
    const check = checkJournal(path, mark, bytes);
    if (check.problem !== null) {
      add(path, 'JOURNAL_MISMATCH', `${check.problem}; ${JOURNAL_HINT}`);
      return null;
    }
    kept = kept.subarray(0, mark.bytes);
    if (check.extra !== null) {
      const lines = check.extra.toString('utf8').split('\n');
      const torn = lines.pop() !== '';
      try {
        const foreign = lines.findIndex(
          (line, k) => !isLeftover(parseJournalLine(path, line, k + 1, schema)),
        );
        if (foreign >= 0)
          add(
            path,
            'JOURNAL_MISMATCH',
            `${path}: line ${foreign + 1} after the ${mark.bytes} bytes of the last commit is not a leftover of an interrupted frame; ${JOURNAL_HINT}`,
          );
        else
          add(
            path,
            'JOURNAL_LEFTOVERS',
            `${path}: ${lines.length + (torn ? 1 : 0)} line(s) after the last commit (an interrupted frame) will be dropped at the next start, and the frame applied again`,
            'warning',
          );
      } catch (error) {
        addError(path, error);
      }
    }
  }
  const text = kept.toString('utf8');
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  try {
    const entries = lines.map((line, k) => parseJournalLine(path, line, k + 1, schema));
    if (mark === undefined && tail !== '')
      add(path, 'JOURNAL_TORN', `${path}: a torn last line (will be dropped at the next start)`, 'warning');
    return entries;
  } catch (error) {
    addError(path, error);
    return null;
  }
}

function checkPaperJournals(
  reader: JournalReader,
  pp: ReturnType<typeof paperPaths>,
  paper: PaperState | null,
): void {
  const { add, addError } = reader;
  const lastBarTs = paper?.lastBarTs ?? null;
  const marks = paper?.journals;
  const trades = checkOneJournal(reader, pp.trades, marks?.trades, TradeLineSchema, (e) =>
    isAfter(e.barTs, lastBarTs),
  );
  const equity = checkOneJournal(reader, pp.equity, marks?.equity, EquityLineSchema, (e) =>
    isAfter(e.ts, lastBarTs),
  );
  if (paper === null) {
    const frames = new Set([...(trades ?? []).map((e) => e.barTs), ...(equity ?? []).map((e) => e.ts)]);
    if (frames.size > 1)
      add(
        pp.state,
        'PAPER_STATE_MISSING',
        `${pp.state} is missing but ${pp.equity} and ${pp.trades} hold ${frames.size} frames: restore the state file or move the journals away`,
      );
    return;
  }
  if (marks === undefined)
    add(
      pp.state,
      'JOURNALS_NOT_MARKED',
      `${pp.state} records no journal marks (written by an older version): the journals are adopted as they are at the next start`,
      'warning',
    );
  if (equity !== null)
    try {
      checkEquityJournal(
        pp.equity,
        equity.filter((e) => lastBarTs !== null && e.ts <= lastBarTs),
        paper,
      );
    } catch (error) {
      addError(pp.equity, error);
    }
}

function checkHistoryJournal(reader: JournalReader, root: string, deployment: DeploymentState | null): void {
  const last = deployment?.lastCycleTs ?? null;
  checkOneJournal(
    reader,
    join(root, DEPLOYMENT_HISTORY_FILE),
    deployment?.journals?.history,
    HistoryEntrySchema,
    (e) => isAfter(e.cycleTs, last),
  );
}

/** A journal line past its state's last applied bar (`lastTs`; null: none applied) is an interrupted frame's. */
function isAfter(ts: number, lastTs: number | null): boolean {
  return lastTs === null || ts > lastTs;
}

/** A live workspace cannot have applied a bar that has not closed yet. */
function checkNotInFuture(
  paper: PaperState | null,
  arena: ArenaState | null,
  deployment: DeploymentState | null,
  nowMs: number,
  file: string,
  add: Add,
): void {
  const claims: [string, number | null | undefined][] = [
    ['positions_state.json lastBarTs', paper?.lastBarTs],
    ['arena_state.json lastBarTs', arena?.lastBarTs],
    ['deployment_state.json lastCycleTs', deployment?.lastCycleTs],
  ];
  for (const [what, ts] of claims)
    if (typeof ts === 'number' && ts > nowMs)
      add(
        file,
        'STATE_IN_FUTURE',
        `${what} is ${new Date(ts).toISOString()}, after the current time ${new Date(nowMs).toISOString()}: a live workspace cannot have applied that bar`,
      );
}

/** modelId must name the trial its study and trial number say (ensembles: their own study). */
function refProblem(ref: ModelRef): string | null {
  if (ref.trialNumber !== null && ref.modelId !== modelIdOf(ref.study, ref.trialNumber))
    return `modelId "${ref.modelId}" is not trial ${ref.trialNumber} of study ${ref.study} ("${modelIdOf(ref.study, ref.trialNumber)}")`;
  return null;
}

/** The state files against each other: what is deployed, what the paper trader trades, the arena's shadow. */
function crossCheck(
  root: string,
  paper: PaperState | null,
  arena: ArenaState | null,
  deployment: DeploymentState | null,
  add: Add,
): void {
  const deploymentFile = join(root, DEPLOYMENT_STATE_FILE);
  const current = deployment?.current ?? null;
  if (current) {
    const problem = refProblem(current);
    if (problem) add(deploymentFile, 'MODEL_REF_MISMATCH', `${deploymentFile}: field "current": ${problem}`);
  }
  if (paper?.model) {
    const problem = refProblem(paper.model);
    if (problem)
      add(
        paperPaths(root).state,
        'MODEL_REF_MISMATCH',
        `${paperPaths(root).state}: field "model": ${problem}`,
      );
  }
  for (const [k, m] of (arena?.models ?? []).entries()) {
    if (!isActive(m.status)) continue;
    const problem = refProblem(m);
    if (problem)
      add(
        arenaPaths(root).state,
        'MODEL_REF_MISMATCH',
        `${arenaPaths(root).state}: field "models.${k}": ${problem}`,
      );
  }
  // What the deployer recorded as deployed is what the paper trader trades (a crash between the two is
  // completed at start from the cycle's recorded effects; anything else was changed by hand).
  const pending = deployment?.lastEffects?.swap?.ref.modelId ?? null;
  const paperModel = paper?.modelId ?? null;
  if (
    paper &&
    deployment &&
    (current?.modelId ?? null) !== paperModel &&
    pending !== (current?.modelId ?? null)
  )
    add(
      deploymentFile,
      'DEPLOYMENT_MISMATCH',
      `${deploymentFile}: field "current.modelId" is ${current?.modelId ?? 'null'} but ${paperPaths(root).state} trades ${paperModel ?? 'no model'}: one of them was changed outside hybrid-trader`,
    );
  if (paper?.model && !deployment)
    add(
      deploymentFile,
      'DEPLOYMENT_STATE_MISSING',
      `${deploymentFile} is missing but the paper trader trades ${paper.model.modelId}: restore the deployer's state file`,
    );
  const shadow = arena?.models.find((m) => isActive(m.status) && m.role === 'champion-shadow');
  if (
    shadow &&
    current &&
    deployment?.mode !== 'ensemble' &&
    shadow.modelId !== current.modelId &&
    pending !== current.modelId
  )
    add(
      arenaPaths(root).state,
      'ARENA_CHAMPION_MISMATCH',
      `${arenaPaths(root).state}: the champion's shadow is ${shadow.modelId} but ${deploymentFile} deploys ${current.modelId}`,
    );
  // bundles: the folder a ref names must hold the trial it names
  const refs: [string, ModelRef][] = [];
  if (current) refs.push([deploymentFile, current]);
  if (paper?.model) refs.push([paperPaths(root).state, paper.model]);
  for (const m of arena?.models ?? []) if (isActive(m.status)) refs.push([arenaPaths(root).state, m]);
  for (const [file, ref] of refs) {
    if (isOutsideWorkspace(root, ref.modelPath))
      add(
        file,
        'MODEL_PATH_OUTSIDE',
        `${file}: ${ref.modelId}'s bundle ${ref.modelPath} is outside this workspace (a copied or restored workspace still uses the original's bundles)`,
        'warning',
      );
    if (ref.trialNumber === null) continue;
    try {
      const manifest = readManifest(fromWorkspacePath(root, ref.modelPath)).manifest;
      if (manifest.study !== ref.study || manifest.trialNumber !== ref.trialNumber)
        add(
          file,
          'MODEL_REF_MISMATCH',
          `${file}: ${ref.modelId}'s bundle ${ref.modelPath} is trial ${manifest.trialNumber} of study ${manifest.study}`,
        );
    } catch {
      // a bundle that cannot be read is the models check's (a warning: the services hold or remove it)
    }
  }
}

/** The deployed model loads for the paper trader's symbols; each active arena member's bundle is there. */
function checkModels(root: string, paper: PaperState | null, arena: ArenaState | null, add: Add): void {
  const file = paperPaths(root).state;
  // a bundle whose content differs from the one recorded when its model entered: BUNDLE_CHANGED
  const codeOf = (error: unknown) =>
    error instanceof HybridTraderError && error.code === 'BUNDLE_CHANGED' ? error.code : 'MODEL_UNAVAILABLE';
  if (paper?.model) {
    const held = paper.modelError;
    try {
      checkBundleUnchanged(root, paper.model);
      const dir = fromWorkspacePath(root, paper.model.modelPath);
      const manifest = readManifest(dir).manifest;
      loadModelBundle(dir, { symbols: paper.symbols, timeframeMs: timeframeToMs(manifest.timeframe) });
      if (held)
        add(
          file,
          'MODEL_UNAVAILABLE',
          `the deployed model ${paper.model.modelId} could not be loaded at the last run (${held.message}); it loads now: the next start trades it again`,
          'warning',
        );
    } catch (error) {
      const since = held?.sinceBarTs
        ? `; positions held since the bar of ${new Date(held.sinceBarTs).toISOString()}`
        : '';
      add(
        file,
        codeOf(error),
        `the deployed model ${paper.model.modelId} cannot be loaded: ${error instanceof Error ? error.message : String(error)}; the paper trader holds its positions until a loadable model is deployed${since}`,
        'warning',
      );
    }
  }
  for (const m of arena?.models ?? []) {
    if (!isActive(m.status)) continue;
    try {
      readManifest(fromWorkspacePath(root, m.modelPath));
      checkBundleUnchanged(root, m);
    } catch (error) {
      add(
        arenaPaths(root).state,
        codeOf(error),
        `arena member ${m.modelId} cannot be loaded (${error instanceof Error ? error.message : String(error)}): it leaves the arena at the next start`,
        'warning',
      );
    }
  }
}

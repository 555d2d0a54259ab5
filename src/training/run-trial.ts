// One trial from start to end: sample, train, validate fold by fold (pruning), write the bundle, record.
import { join, relative } from 'node:path';
import { msToTimeframe } from '../core/timeframe.js';
import type { MarketData } from '../market/market-data.js';
import { deflatedSharpe } from '../metrics/index.js';
import { BUNDLE_SCHEMA_VERSION, type Manifest, writeBundle } from '../models/bundle/index.js';
import type { SimConfig } from '../sim/index.js';
import { ARTIFACT_ATTR, type ArtifactStore, publishBundle } from './artifacts/index.js';
import { awaitTrialsBelow } from './await-trials.js';
import { type KindOption, sampleModel, type TrainingBudget } from './kinds/index.js';
import {
  evaluateFolds,
  rangeIso,
  type WalkForwardConfig,
  type WalkForwardWindows,
} from './objective/index.js';
import type { Pruner } from './pruners/index.js';
import type { Sampler } from './samplers/index.js';
import type { StudyStorage, StudySummary } from './storage/index.js';
import type { FrozenTrial } from './trial.js';
import { TrialContext } from './trial-context.js';

/** Everything a worker holds to run trials of one study. */
export interface StudyJob {
  readonly storage: StudyStorage;
  /** Where bundles are published for other hosts (null: they stay in this workspace's models/). */
  readonly artifacts: ArtifactStore | null;
  readonly study: StudySummary;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly market: MarketData;
  readonly walkForward: WalkForwardConfig;
  readonly windows: WalkForwardWindows;
  readonly simConfig: Readonly<SimConfig>;
  readonly kind: KindOption;
  /** Study-level limits every kind trains within (`--ppo-steps` sets the interaction steps). */
  readonly budget: TrainingBudget;
  readonly seed: number;
  /**
   * Trial n learns from (samples, prunes, deflates against) trials numbered below n - visibleLag only,
   * after waiting for them to finish: a history independent of worker timing. null: every trial it can
   * see when it starts, no waiting.
   */
  readonly visibleLag: number | null;
  /** Workspace root; bundles go to <root>/models/<study>/<trial number>. */
  readonly root: string;
  /** Hash of the training range's bars, stored in each manifest. */
  readonly dataHash: string;
  readonly packageVersion: string;
}

export interface TrialOutcome {
  readonly trialId: number;
  readonly number: number;
  readonly state: 'COMPLETE' | 'PRUNED' | 'FAIL';
  readonly value: number | null;
  /** Bundle folder relative to the workspace root (COMPLETE only). */
  readonly modelPath: string | null;
  readonly kind: string | null;
  readonly error: string | null;
  /**
   * The failure's stable code when the workspace itself failed (DISK_FULL, WORKSPACE_NOT_WRITABLE): no
   * later trial can do better, so the study run stops (absent otherwise).
   */
  readonly workspaceError?: string;
  readonly seconds: number;
}

/** Codes of failures of the workspace's disk, not of the trial: they stop a study run. */
const WORKSPACE_ERRORS = new Set(['DISK_FULL', 'WORKSPACE_NOT_WRITABLE']);

/** The trial's own seed for weights and minibatches: distinct per trial, reproducible per study seed. */
export function trialSeed(studySeed: number, trialNumber: number): number {
  return (studySeed * 1_000_003 + trialNumber * 7919 + 1) % 2 ** 31;
}

/** User attribute: per-bar (not annualised) Sharpe of the trial's validation returns, all folds pooled. */
export const SHARPE_PER_BAR_ATTR = 'fold_sharpe_per_bar';

/** The deflated Sharpe of a trial's validation returns against the trials numbered before it. */
function deflatedSharpeOf(returns: Float64Array, number: number, visible: readonly FrozenTrial[]) {
  const own = deflatedSharpe(returns, number + 1, []).sharpePerPeriod;
  const sharpes = visible
    .map((t) => t.userAttrs[SHARPE_PER_BAR_ATTR])
    .filter((v): v is number => typeof v === 'number');
  if (own !== null) sharpes.push(own);
  return deflatedSharpe(returns, number + 1, sharpes);
}

/**
 * Runs trial (`trialId`, `number`), already created RUNNING in storage. With a `visibleLag` it first waits
 * for the trials it learns from, then calls `onRunning` (its time limit starts there). The parameters are
 * stored before training starts; the bundle is written before the trial is marked COMPLETE, so a COMPLETE
 * trial always has its model. Any error marks the trial FAIL with the reason in the user attribute
 * `fail_reason`; it never escapes. `shouldStop` is polled by long kinds.
 *
 * Besides `kind`, `folds` and `model_path`, the trial records `trials_before` (trials of its study numbered
 * before it: how many were tried before this one), `fold_sharpe_per_bar` and `deflated_sharpe` (the
 * probability that its validation Sharpe beats the best of `trials_before + 1` trials of no skill, Bailey
 * and Lopez de Prado 2014) with `expected_max_sharpe_per_bar`.
 */
export async function runTrial(
  job: StudyJob,
  trialId: number,
  number: number,
  shouldStop?: () => boolean,
  onRunning?: () => void,
): Promise<TrialOutcome> {
  let started = Date.now();
  const { storage, market, windows } = job;
  const visibleBelow = job.visibleLag === null ? Number.POSITIVE_INFINITY : number - job.visibleLag;
  const done = (
    state: TrialOutcome['state'],
    value: number | null,
    extra: Partial<TrialOutcome> = {},
  ): TrialOutcome => ({
    trialId,
    number,
    state,
    value,
    modelPath: null,
    kind: null,
    error: null,
    seconds: (Date.now() - started) / 1000,
    ...extra,
  });
  let trial: TrialContext | null = null;
  try {
    if (job.visibleLag !== null) await awaitTrialsBelow(storage, job.study.studyId, visibleBelow, trialId);
    onRunning?.();
    started = Date.now();
    trial = await TrialContext.open(
      storage,
      job.study.studyId,
      trialId,
      number,
      job.sampler,
      job.pruner,
      job.study.direction,
      visibleBelow,
    );
    const sampled = sampleModel(job.kind, trial, job.budget);
    await trial.flush();
    const trialModel = sampled.train({
      market,
      train: windows.train,
      foldTrain: windows.foldTrain,
      simConfig: job.simConfig,
      seed: trialSeed(job.seed, number),
      shouldStop,
    });
    const kind = sampled.kind;
    trial.setUserAttr('kind', kind);
    trial.setUserAttr('trials_before', number);
    const context = trial;
    const evaluation = await evaluateFolds(
      market,
      (k) => trialModel.policyForFold(k),
      windows.folds,
      job.simConfig,
      job.walkForward,
      (k, score) => {
        context.report(k, score);
        return context.shouldPrune();
      },
    );
    trial.setUserAttr('folds', evaluation.folds);
    const deflated = deflatedSharpeOf(evaluation.returns, number, trial.visibleTrials());
    trial.setUserAttr(SHARPE_PER_BAR_ATTR, deflated.sharpePerPeriod);
    trial.setUserAttr('deflated_sharpe', deflated.dsr);
    trial.setUserAttr('expected_max_sharpe_per_bar', deflated.expectedMaxSharpe);
    if (evaluation.stopped) {
      await trial.finish('PRUNED', evaluation.score);
      return done('PRUNED', evaluation.score, { kind });
    }
    const model = trialModel.finish();
    const dir = join(job.root, 'models', job.study.name, String(number));
    // The kind's own fields (with `kind` and `params`), then what every bundle records.
    writeBundle(
      dir,
      {
        schemaVersion: BUNDLE_SCHEMA_VERSION,
        ...model.manifest,
        symbols: [...market.symbols],
        timeframe: msToTimeframe(market.timeframeMs),
        actionSize: market.symbols.length,
        params: { ...model.manifest.params },
        trainingScore: evaluation.score,
        study: job.study.name,
        trialNumber: number,
        dataHash: job.dataHash,
        trainingWindow: rangeIso(market, windows.train),
        validationWindows: windows.folds.map((f) => rangeIso(market, f)),
        packageVersion: job.packageVersion,
        createdAt: new Date().toISOString(),
      } as Manifest,
      model.files,
    );
    const modelPath = relative(job.root, dir);
    trial.setUserAttr('model_path', modelPath);
    // Published before the trial completes: a COMPLETE trial's bundle is reachable wherever it is deployed.
    if (job.artifacts) trial.setUserAttr(ARTIFACT_ATTR, await publishBundle(job.artifacts, dir));
    await trial.finish('COMPLETE', evaluation.score);
    return done('COMPLETE', evaluation.score, { kind, modelPath });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    try {
      // What was buffered goes with the failure, unless writing it is what failed.
      await (trial ?? storage).updateTrial(trialId, {
        userAttrs: { fail_reason: message },
        finish: { state: 'FAIL' },
      });
    } catch {
      try {
        await storage.updateTrial(trialId, {
          userAttrs: { fail_reason: message },
          finish: { state: 'FAIL' },
        });
      } catch {
        // the storage itself failed, or the trial was already failed (stale heartbeat): the heartbeat
        // check fails a trial left RUNNING
      }
    }
    const code = (error as { code?: unknown } | null)?.code;
    return done('FAIL', null, {
      error: message,
      ...(typeof code === 'string' && WORKSPACE_ERRORS.has(code) ? { workspaceError: code } : {}),
    });
  }
}

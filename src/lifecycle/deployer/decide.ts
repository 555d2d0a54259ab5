// The deployer's decision for one cycle, as a pure function of what it knows: no files, no clock.
import type { RankedTrial } from '../../training/ranked-trials.js';
import type { ModelRef } from '../contracts.js';
import { failedRules, type PromotionCheck } from '../promotion-check.js';
import type { DeployerConfig, DeploymentState, HistoryEntry } from './deployment-state.js';

export function modelIdOf(study: string, trialNumber: number): string {
  return `${study}/${trialNumber}`;
}

/** Lookup sets of the state's id lists, built once per list (the state replaces a list to change it). */
const idSets = new WeakMap<readonly string[], { readonly length: number; readonly set: Set<string> }>();

/**
 * Whether `id` is in `ids`, one of the state's growing id lists (seenTrials, everDeployed): a cycle asks
 * every frame, and scanning a year of released trials each time showed in profiles. A list changed in place
 * (its length differs) gets a fresh set.
 */
export function listHas(ids: readonly string[], id: string): boolean {
  if (ids.length < 8) return ids.includes(id);
  let cached = idSets.get(ids);
  if (cached?.length !== ids.length) {
    cached = { length: ids.length, set: new Set(ids) };
    idSets.set(ids, cached);
  }
  return cached.set.has(id);
}

export function refOf(trial: RankedTrial): ModelRef {
  return {
    modelId: modelIdOf(trial.study, trial.number),
    study: trial.study,
    trialNumber: trial.number,
    trainingScore: trial.value,
    modelPath: trial.modelPath,
  };
}

export interface CycleInput {
  readonly config: DeployerConfig;
  readonly state: DeploymentState;
  /** Completed trials of the configured studies available now, best first. */
  readonly trials: readonly RankedTrial[];
  /** The arena's check of the promotion candidate at this frame, when a candidate file exists. */
  readonly candidate: PromotionCheck | null;
  /** Score of the deployed model re-computed on the best trial's validation windows, when they differ. */
  readonly rescoredDeployed: number | null;
  readonly cycleTs: number;
  readonly at: string;
}

export interface CycleDecision {
  /** The model to deploy now (at most one swap per cycle), with its source. */
  readonly swap: { ref: ModelRef; source: 'training' | 'promotion' } | null;
  /** Whether the candidate file is to be archived as accepted (true), refused (false), or left (null). */
  readonly candidateAccepted: boolean | null;
  /** Trials to offer to the arena as challengers (the arena ignores ones it knows). */
  readonly offer: readonly ModelRef[];
  readonly entries: readonly HistoryEntry[];
}

/**
 * One cycle. Training deployment (hybrid, training-only): a new best trial (the best of all, not seen in an
 * earlier cycle, never deployed) is deployed when its score beats the deployed model's by more than the
 * margin (signed); a new best that does not is recorded as a skip. Promotion (hybrid, arena-only): only when no training swap
 * happened this cycle, a candidate is accepted if the arena's check of this frame still qualifies, else refused.
 * Ensemble mode is decided elsewhere (it builds a bundle); here it only offers trials.
 */
export function decideCycle(input: CycleInput): CycleDecision {
  const { config, state, trials, cycleTs, at } = input;
  const entries: HistoryEntry[] = [];
  const entry = (e: Omit<HistoryEntry, 'cycleTs' | 'at'>) => entries.push({ cycleTs, at, ...e });
  const current = state.current;
  let swap: CycleDecision['swap'] = null;

  if (config.mode === 'hybrid' || config.mode === 'training-only') {
    // Only a NEW best trial (the best of all, released since the last cycle) deploys on its training score.
    // Trials already seen and skipped never come back that way: otherwise every promotion of a model with a
    // lower training score would be undone on the next cycle by an old trial it had beaten in the arena.
    const top = trials[0];
    const topId = top ? modelIdOf(top.study, top.number) : null;
    const fresh =
      top &&
      topId !== null &&
      !listHas(state.everDeployed, topId) &&
      (current === null || !listHas(state.seenTrials, topId))
        ? top
        : undefined;
    if (fresh) {
      const ref = refOf(fresh);
      const deployedScore = input.rescoredDeployed ?? current?.trainingScore ?? null;
      const beats =
        current === null || deployedScore === null || fresh.value > deployedScore + config.scoreMargin;
      const details = {
        candidateScore: fresh.value,
        deployedScore: current?.trainingScore ?? null,
        rescoredDeployedScore: input.rescoredDeployed,
        margin: config.scoreMargin,
      };
      if (beats) {
        swap = { ref, source: 'training' };
        entry({
          action: 'deploy',
          modelId: ref.modelId,
          trialNumber: ref.trialNumber,
          reason:
            current === null
              ? 'first deployment: best completed trial'
              : `training score ${fresh.value.toFixed(4)} beats deployed ${deployedScore!.toFixed(4)} + margin ${config.scoreMargin}`,
          details: { ...details, replaced: current?.modelId ?? null },
        });
      } else if (!listHas(state.seenTrials, ref.modelId)) {
        entry({
          action: 'skip',
          modelId: ref.modelId,
          trialNumber: ref.trialNumber,
          reason: `training score ${fresh.value.toFixed(4)} does not beat deployed ${deployedScore!.toFixed(4)} + margin ${config.scoreMargin}`,
          details,
        });
      }
    }
  }

  let candidateAccepted: boolean | null = null;
  const check = input.candidate;
  if (check && (config.mode === 'hybrid' || config.mode === 'arena-only')) {
    if (swap !== null) {
      // One swap per cycle: the candidate stays and is decided on the next cycle.
    } else if (check.qualifies) {
      const trial = trials.find((t) => modelIdOf(t.study, t.number) === check.modelId);
      if (trial) {
        swap = { ref: refOf(trial), source: 'promotion' };
        candidateAccepted = true;
        entry({
          action: 'promote',
          modelId: check.modelId,
          trialNumber: check.trialNumber,
          reason: `arena: ${check.excessReturnPct?.toFixed(2) ?? 'n/a'} pp over the paper trader in ${check.hours} h, Sharpe ${check.sharpe?.toFixed(2) ?? 'n/a'}`,
          details: { ...check, replaced: current?.modelId ?? null },
        });
      } else {
        candidateAccepted = false;
        entry({
          action: 'refuse',
          modelId: check.modelId,
          trialNumber: check.trialNumber,
          reason: 'candidate is not a completed trial of the configured studies',
          details: { ...check },
        });
      }
    } else {
      candidateAccepted = false;
      entry({
        action: 'refuse',
        modelId: check.modelId,
        trialNumber: check.trialNumber,
        reason: `no longer qualifies at the re-check: ${failedRules(check.rules).join(', ')}`,
        details: { ...check },
      });
    }
  }

  return {
    swap,
    candidateAccepted,
    offer: offerOf(trials, swap?.ref.modelId ?? current?.modelId ?? null, config.arenaOffer),
    entries,
  };
}

/** The first `count` trials other than the deployed model (a loop that stops there: trials grow all year). */
function offerOf(trials: readonly RankedTrial[], deployedId: string | null, count: number): ModelRef[] {
  const offer: ModelRef[] = [];
  for (const t of trials) {
    if (offer.length >= count) break;
    const ref = refOf(t);
    if (ref.modelId !== deployedId) offer.push(ref);
  }
  return offer;
}

// The deployer's decision for one cycle, as a pure function of what it knows: no files, no clock.
import type { RankedTrial } from '../../training/ranked-trials.js';
import type { ModelRef } from '../contracts.js';
import { failedRules, type PromotionCheck } from '../promotion-check.js';
import type { DeployerConfig, DeploymentMode, DeploymentState, HistoryEntry } from './deployment-state.js';
import { type DeploymentGuard, guardOf } from './guards.js';
import type { HistoryEntryBody } from './history-entry.js';

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

/** The refs of trials already asked for: a cycle offers the same top trials on every frame. */
const trialRefs = new WeakMap<RankedTrial, ModelRef>();

/** The model of a trial (one frozen object per trial object: shared by every cycle that asks). */
export function refOf(trial: RankedTrial): ModelRef {
  let ref = trialRefs.get(trial);
  if (ref === undefined) {
    ref = Object.freeze({
      modelId: modelIdOf(trial.study, trial.number),
      study: trial.study,
      trialNumber: trial.number,
      trainingScore: trial.value,
      modelPath: trial.modelPath,
    });
    trialRefs.set(trial, ref);
  }
  return ref;
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
  /** Challengers whose arena evaluation restarts (a refused comeback within the cooldown), if any. */
  readonly restart?: readonly string[];
}

/** What the rules of one cycle have decided so far (each rule sees the earlier ones' outcome). */
interface CycleSoFar {
  swap: CycleDecision['swap'];
  candidateAccepted: boolean | null;
  readonly restart: string[];
  readonly entry: (e: HistoryEntryBody) => void;
}

/** One rule of a deployment mode: looks at the cycle's input and may set a swap or decide the candidate. */
type CycleRule = (input: CycleInput, guard: DeploymentGuard, cycle: CycleSoFar) => void;

/**
 * Training deployment: a new best trial (the best of all, not seen in an earlier cycle, never deployed)
 * is deployed when its score beats the deployed model's by more than the margin (signed) and the guard
 * lets it; otherwise it is recorded as a skip, once.
 */
const trainingRule: CycleRule = (input, guard, cycle) => {
  const { config, state, trials, at } = input;
  const current = state.current;
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
  if (!fresh) return;
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
  const verdict =
    beats && current !== null && deployedScore !== null
      ? guard.training({
          current,
          candidateScore: fresh.value,
          deployedScore,
          scoreMargin: config.scoreMargin,
          at,
        })
      : null;
  if (beats && (verdict === null || verdict.allow)) {
    cycle.swap = { ref, source: 'training' };
    cycle.entry({
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
    cycle.entry({
      action: 'skip',
      modelId: ref.modelId,
      trialNumber: ref.trialNumber,
      reason:
        verdict && !verdict.allow
          ? verdict.reason
          : `training score ${fresh.value.toFixed(4)} does not beat deployed ${deployedScore!.toFixed(4)} + margin ${config.scoreMargin}`,
      details: verdict && !verdict.allow ? { ...details, policy: guard.name, ...verdict.details } : details,
    });
  }
};

/**
 * Promotion: only when no swap happened earlier in the cycle, a candidate is accepted if the arena's
 * re-check still qualifies and the guard lets it, refused when it no longer qualifies. A guard's refusal
 * (cooldown) also restarts the model's arena evaluation, so its next chance rests on new evidence.
 */
const promotionRule: CycleRule = (input, guard, cycle) => {
  const { state, trials, at } = input;
  const check = input.candidate;
  const current = state.current;
  if (!check) return;
  if (cycle.swap !== null) return; // One swap per cycle: the candidate stays and is decided on the next cycle.
  if (check.qualifies) {
    const trial = trials.find((t) => modelIdOf(t.study, t.number) === check.modelId);
    if (!trial) {
      cycle.candidateAccepted = false;
      cycle.entry({
        action: 'refuse',
        modelId: check.modelId,
        trialNumber: check.trialNumber,
        reason: 'candidate is not a completed trial of the configured studies',
        details: { ...check },
      });
      return;
    }
    const verdict = guard.promotion({ modelId: check.modelId, state, at });
    if (!verdict.allow) {
      // refused, and its evaluation starts again: the arena would otherwise keep it as the candidate
      cycle.candidateAccepted = false;
      cycle.restart.push(check.modelId);
      cycle.entry({
        action: 'refuse',
        modelId: check.modelId,
        trialNumber: check.trialNumber,
        reason: `${verdict.reason}; its arena evaluation starts again`,
        details: { ...check, policy: guard.name, ...verdict.details },
      });
      return;
    }
    cycle.swap = { ref: refOf(trial), source: 'promotion' };
    cycle.candidateAccepted = true;
    cycle.entry({
      action: 'promote',
      modelId: check.modelId,
      trialNumber: check.trialNumber,
      reason: `arena: ${check.excessReturnPct?.toFixed(2) ?? 'n/a'} pp over the paper trader in ${check.hours} h, Sharpe ${check.sharpe?.toFixed(2) ?? 'n/a'}`,
      details: { ...check, replaced: current?.modelId ?? null },
    });
    return;
  }
  cycle.candidateAccepted = false;
  cycle.entry({
    action: 'refuse',
    modelId: check.modelId,
    trialNumber: check.trialNumber,
    reason: `no longer qualifies at the re-check: ${failedRules(check.rules).join(', ')}`,
    details: { ...check },
  });
};

/** A deployment mode as a small policy object: the rules it applies each cycle, in order. */
export interface ModePolicy {
  readonly mode: DeploymentMode;
  decide(input: CycleInput, guard: DeploymentGuard): CycleDecision;
}

function modePolicy(mode: DeploymentMode, rules: readonly CycleRule[]): ModePolicy {
  return {
    mode,
    decide(input, guard) {
      const { config, state, trials, cycleTs, at } = input;
      const entries: HistoryEntry[] = [];
      const cycle: CycleSoFar = {
        swap: null,
        candidateAccepted: null,
        restart: [],
        entry: (e) => entries.push({ cycleTs, at, ...e } as HistoryEntry),
      };
      for (const rule of rules) rule(input, guard, cycle);
      return {
        swap: cycle.swap,
        candidateAccepted: cycle.candidateAccepted,
        offer: offerOf(trials, cycle.swap?.ref.modelId ?? state.current?.modelId ?? null, config.arenaOffer),
        entries,
        ...(cycle.restart.length > 0 ? { restart: cycle.restart } : {}),
      };
    },
  };
}

/**
 * The modes: hybrid deploys on training score and promotes from the arena; training-only and arena-only
 * do one of the two; ensemble only offers trials here (the deployer builds its bundle).
 */
export const MODE_POLICIES: Readonly<Record<DeploymentMode, ModePolicy>> = {
  hybrid: modePolicy('hybrid', [trainingRule, promotionRule]),
  'training-only': modePolicy('training-only', [trainingRule]),
  'arena-only': modePolicy('arena-only', [promotionRule]),
  ensemble: modePolicy('ensemble', []),
};

/** One cycle of the configured mode under the configured policy (`deployer.policy`, guards.ts). */
export function decideCycle(input: CycleInput): CycleDecision {
  const { config } = input;
  return MODE_POLICIES[config.mode].decide(input, guardOf(config.policy, config.protection));
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

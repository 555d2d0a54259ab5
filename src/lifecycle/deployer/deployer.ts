// The auto deployer: each cycle reads the trial stream and the promotion candidate, decides (decide.ts),
// records the decision, then swaps the paper trader's model and updates the arena.
import { join } from 'node:path';
import { StateError } from '../../core/errors.js';
import { isoTs } from '../../market/market-data.js';
import {
  appendJournal,
  readJournal,
  readJsonFile,
  rewriteJournal,
  writeJsonFile,
} from '../../state/index.js';
import type { RankedTrial } from '../../training/ranked-trials.js';
import type {
  ArenaControl,
  FrameEvent,
  ModelRef,
  PaperControl,
  PolicyLoader,
  PromotionCheck,
  ServiceLogger,
} from '../contracts.js';
import { decideCycle, modelIdOf } from './decide.js';
import {
  type CycleEffects,
  DEPLOYMENT_HISTORY_FILE,
  DEPLOYMENT_STATE_FILE,
  type DeployerConfig,
  type DeploymentState,
  DeploymentStateSchema,
  type HistoryEntry,
  HistoryEntrySchema,
} from './deployment-state.js';
import { ENSEMBLE_STUDY, ensembleMembers, writeEnsemble } from './ensemble.js';

export interface DeployerDeps {
  readonly root: string;
  readonly config: DeployerConfig;
  readonly paper: PaperControl;
  readonly arena: ArenaControl;
  readonly loadPolicy: PolicyLoader;
  readonly logger: ServiceLogger;
  /** Completed trials available at the cycle's time, best first (replay releases them by completion time). */
  readonly trialsAt: (ts: number) => readonly RankedTrial[];
  /** The promotion candidate file's model, or null (the arena writes it; the deployer archives it). */
  readonly readCandidate: () => { modelId: string } | null;
  readonly archiveCandidate: (decision: { accepted: boolean; reason: string; decidedAt: number }) => void;
  /** Version written into ensemble bundles. */
  readonly packageVersion?: string;
  /** Re-scores the deployed model on the candidate's validation windows when they differ, else null. */
  readonly rescore?: (deployed: ModelRef, candidate: ModelRef) => number | null;
}

export class Deployer {
  private state: DeploymentState;
  private readonly deps: DeployerDeps;
  private readonly statePath: string;
  private readonly historyPath: string;

  private constructor(deps: DeployerDeps, state: DeploymentState) {
    this.deps = deps;
    this.state = state;
    this.statePath = join(deps.root, DEPLOYMENT_STATE_FILE);
    this.historyPath = join(deps.root, DEPLOYMENT_HISTORY_FILE);
  }

  /**
   * Restores the deployer from deployment_state.json (refusing an invalid file), re-appends the last
   * cycle's decisions if a crash lost them, and brings the paper trader and the arena in line with the
   * recorded deployment (the state file is written before its side effects).
   */
  static open(deps: DeployerDeps): Deployer {
    const statePath = join(deps.root, DEPLOYMENT_STATE_FILE);
    const stored = readJsonFile(statePath, DeploymentStateSchema);
    if (stored && stored.mode !== deps.config.mode)
      throw new StateError(
        'DEPLOYMENT_MODE_MISMATCH',
        `${statePath}: field "mode" is ${stored.mode} but the deployer runs in ${deps.config.mode} mode; use a fresh workspace to change modes`,
        { path: statePath },
      );
    const state: DeploymentState = stored ?? {
      schemaVersion: 1,
      mode: deps.config.mode,
      current: null,
      history: [],
      everDeployed: [],
      seenTrials: [],
      lastCycleTs: null,
      lastDecisions: [],
      lastEffects: null,
      updatedAt: new Date(0).toISOString(),
    };
    const deployer = new Deployer(deps, state);
    deployer.recover();
    return deployer;
  }

  get current(): DeploymentState['current'] {
    return this.state.current;
  }

  get lastBarTs(): number | null {
    return this.state.lastCycleTs;
  }

  private recover(): void {
    const last = this.state.lastCycleTs;
    // Entries of cycles after the recorded one were written by a cycle whose state never landed: drop them.
    rewriteJournal(this.historyPath, HistoryEntrySchema, (e) => last !== null && e.cycleTs <= last);
    const { entries } = readJournal(this.historyPath, HistoryEntrySchema);
    const lastLogged = entries.at(-1)?.cycleTs ?? null;
    if (last !== null && lastLogged !== last && this.state.lastDecisions.length > 0)
      appendJournal(this.historyPath, this.state.lastDecisions);
    if (this.state.lastEffects && last !== null) this.applyEffects(this.state.lastEffects, last);
  }

  /** One cycle at the close of `frame`; skipped when already applied. Returns whether it ran. */
  onFrame(frame: FrameEvent): boolean {
    if (this.state.lastCycleTs !== null && frame.ts <= this.state.lastCycleTs) return false;
    if (this.deps.config.mode === 'ensemble') return this.ensembleCycle(frame);
    const { config, arena } = this.deps;
    const trials = this.deps.trialsAt(frame.ts);
    const at = isoTs(frame.ts + frame.market.timeframeMs);
    const candidateFile =
      config.mode === 'hybrid' || config.mode === 'arena-only' ? this.deps.readCandidate() : null;
    const check: PromotionCheck | null = candidateFile ? arena.recheck(candidateFile.modelId) : null;
    const top = trials[0];
    const best =
      top &&
      !this.state.everDeployed.includes(modelIdOf(top.study, top.number)) &&
      !this.state.seenTrials.includes(modelIdOf(top.study, top.number))
        ? top
        : undefined;
    const rescored =
      best && this.state.current && this.deps.rescore
        ? this.deps.rescore(toRef(this.state.current), {
            modelId: modelIdOf(best.study, best.number),
            study: best.study,
            trialNumber: best.number,
            trainingScore: best.value,
            modelPath: best.modelPath,
          })
        : null;
    const decision = decideCycle({
      config,
      state: this.state,
      trials,
      candidate: candidateFile ? (check ?? missingCandidate(candidateFile.modelId)) : null,
      rescoredDeployed: rescored,
      cycleTs: frame.ts,
      at,
    });
    const previous = this.state.current;
    const swap = decision.swap;
    const entries: HistoryEntry[] = [...decision.entries];
    if (rescored !== null && best)
      entries.unshift({
        cycleTs: frame.ts,
        at,
        action: 'rescore',
        modelId: previous?.modelId ?? null,
        trialNumber: previous?.trialNumber ?? null,
        reason: `deployed model re-scored on ${modelIdOf(best.study, best.number)}'s validation windows`,
        details: {
          recordedScore: previous?.trainingScore ?? null,
          rescoredScore: rescored,
          candidateScore: best.value,
        },
      });
    const effects: CycleEffects = {
      swap: swap ? { ref: swap.ref, source: swap.source, previous: previous ? toRef(previous) : null } : null,
      candidate:
        decision.candidateAccepted !== null && candidateFile
          ? {
              modelId: candidateFile.modelId,
              accepted: decision.candidateAccepted,
              reason: entries.find((e) => e.action === 'promote' || e.action === 'refuse')?.reason ?? '',
            }
          : null,
      offer: [...decision.offer],
    };
    // 1. the state (with this cycle's decisions and effects) lands first, 2. then the journal: see commit().
    this.commit(frame.ts, at, entries, effects, {
      current: swap
        ? {
            modelId: swap.ref.modelId,
            study: swap.ref.study,
            trialNumber: swap.ref.trialNumber,
            trainingScore: swap.ref.trainingScore,
            deployedAt: at,
            source: swap.source,
            modelPath: swap.ref.modelPath,
          }
        : this.state.current,
      everDeployed: swap
        ? [...new Set([...this.state.everDeployed, swap.ref.modelId])]
        : this.state.everDeployed,
      seenTrials: [
        ...new Set([...this.state.seenTrials, ...trials.map((t) => modelIdOf(t.study, t.number))]),
      ],
    });
    // 3. the side effects, recorded in the state and each idempotent (re-applied by open() after a crash)
    this.applyEffects(effects, frame.ts);
    return true;
  }

  /**
   * Applies a cycle's side effects; safe to repeat: what is already done is skipped. Order: the paper
   * trader's model, the arena's champion (a promoted challenger leaves as promoted), the replaced model as
   * a challenger, the candidate file's archive, then the offered trials.
   */
  private applyEffects(effects: CycleEffects, cycleTs: number): void {
    const { paper, arena } = this.deps;
    const swap = effects.swap;
    if (swap) {
      if (paper.model?.modelId !== swap.ref.modelId)
        paper.setModel(swap.ref, this.deps.loadPolicy(swap.ref), {
          resetPositions: swap.source === 'ensemble',
        });
      if (swap.source !== 'ensemble' && arena.champion?.modelId !== swap.ref.modelId) {
        if (swap.source === 'promotion') arena.remove(swap.ref.modelId, 'promoted');
        arena.setChampion(swap.ref);
      }
      // The replaced model keeps competing: it enters the arena as a challenger.
      const previous = swap.previous;
      if (
        swap.source !== 'ensemble' &&
        previous &&
        previous.modelId !== swap.ref.modelId &&
        !arena.knownModelIds.has(previous.modelId)
      )
        arena.offer([previous]);
    }
    const candidate = effects.candidate;
    if (candidate && this.deps.readCandidate()?.modelId === candidate.modelId)
      this.deps.archiveCandidate({
        accepted: candidate.accepted,
        reason: candidate.reason,
        decidedAt: cycleTs,
      });
    const fresh = effects.offer.filter((r) => !arena.knownModelIds.has(r.modelId));
    if (fresh.length > 0) arena.offer(fresh);
  }

  /**
   * Ensemble mode: the deployed model is a mean-vote ensemble of the `ensembleSize` best trials. When the
   * membership changes, a new ensemble bundle is deployed and positions are reset (the old system did so).
   */
  private ensembleCycle(frame: FrameEvent): boolean {
    const { config } = this.deps;
    const trials = this.deps.trialsAt(frame.ts);
    const at = isoTs(frame.ts + frame.market.timeframeMs);
    const members = ensembleMembers(trials, config.ensembleSize);
    const ids = members.map((m) => modelIdOf(m.study, m.number));
    const changed =
      members.length > 0 && this.state.current?.modelId !== `${ENSEMBLE_STUDY}/${ensembleId(ids)}`;
    const entries: HistoryEntry[] = [];
    let ref: ModelRef | null = null;
    if (changed) {
      ref = writeEnsemble(this.deps.root, ensembleId(ids), members, this.deps.packageVersion ?? '0.0.0');
      entries.push({
        cycleTs: frame.ts,
        at,
        action: 'deploy',
        modelId: ref.modelId,
        trialNumber: null,
        reason: `ensemble of the ${members.length} best trials changed; positions reset`,
        details: { members: ids, meanScore: ref.trainingScore },
      });
    }
    const effects: CycleEffects = {
      swap: ref ? { ref, source: 'ensemble', previous: null } : null,
      candidate: null,
      offer: [],
    };
    this.commit(frame.ts, at, entries, effects, {
      current: ref
        ? {
            modelId: ref.modelId,
            study: ref.study,
            trialNumber: null,
            trainingScore: ref.trainingScore,
            deployedAt: at,
            source: 'ensemble',
            modelPath: ref.modelPath,
          }
        : this.state.current,
    });
    this.applyEffects(effects, frame.ts);
    return true;
  }

  /**
   * Records a cycle: the state (with its decisions in `lastDecisions`) is written first, then the decisions
   * are appended to history.jsonl and logged. The caller applies side effects after: a crash at any point
   * is recovered by open().
   */
  private commit(
    cycleTs: number,
    at: string,
    entries: HistoryEntry[],
    effects: CycleEffects,
    changes: Partial<DeploymentState>,
  ): void {
    this.state = {
      ...this.state,
      ...changes,
      lastEffects: effects,
      history: [...this.state.history, ...entries].slice(-this.deps.config.historyInState),
      lastCycleTs: cycleTs,
      lastDecisions: entries,
      updatedAt: at,
    };
    writeJsonFile(this.statePath, DeploymentStateSchema, this.state);
    appendJournal(this.historyPath, entries);
    for (const e of entries)
      this.deps.logger.info(`${e.action}: ${e.reason}`, { modelId: e.modelId, ...e.details });
  }
}

/** Ensemble ids encode their members: "_ensembles/s-3+s-7+..." (readable, and equal for equal members). */
function ensembleId(ids: readonly string[]): string {
  return ids.map((id) => id.replace(/[^A-Za-z0-9._-]/g, '-')).join('+');
}

function toRef(current: NonNullable<DeploymentState['current']>): ModelRef {
  return {
    modelId: current.modelId,
    study: current.study,
    trialNumber: current.trialNumber,
    trainingScore: current.trainingScore,
    modelPath: current.modelPath,
  };
}

/** A candidate file naming a model the arena no longer has: it cannot qualify. */
function missingCandidate(modelId: string): PromotionCheck {
  return {
    modelId,
    trialNumber: null,
    hours: 0,
    returnPct: 0,
    paperReturnPct: 0,
    excessReturnPct: 0,
    sharpe: null,
    windowStart: '',
    rules: [{ rule: 'inArena', threshold: 1, value: 0, passed: false }],
    qualifies: false,
  };
}

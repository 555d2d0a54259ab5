// The auto deployer: each cycle reads the trial stream and the promotion candidate, decides (decide.ts),
// records the decision, then swaps the paper trader's model and updates the arena.
import { join } from 'node:path';
import { InvariantError, StateError } from '../../core/errors.js';
import { isoTs } from '../../market/market-data.js';
import {
  directStateStore,
  dropLeftovers,
  readJournal,
  readJsonFile,
  requireJournal,
  rewriteJournal,
  type StateStore,
} from '../../state/index.js';
import type { RankedTrial } from '../../training/ranked-trials.js';
import type {
  ArenaControl,
  FrameEvent,
  ModelRef,
  PaperControl,
  PolicyLoader,
  ServiceLogger,
} from '../contracts.js';
import {
  type ControlRequest,
  type ControlResult,
  completeControlRequest,
  pendingControlRequests,
} from '../control/index.js';
import { copyModelRef } from '../model-ref.js';
import type { PromotionCheck } from '../promotion-check.js';
import { type ControlDecision, decideControl } from './control.js';
import { decideCycle, listHas, modelIdOf, refOf } from './decide.js';
import {
  type CycleEffects,
  DEPLOYMENT_HISTORY_FILE,
  DEPLOYMENT_STATE_FILE,
  type DeployerConfig,
  type DeploymentState,
  DeploymentStateSchema,
  deploymentOf,
  type HistoryEntry,
  HistoryEntrySchema,
  initialDeploymentState,
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
  /** Where deployments/ files are written: default at once; the engine passes its StateTransaction. */
  readonly store?: StateStore;
  /**
   * Records a model's bundle content (`bundleSha256`) as it enters the deployment or the arena, so that a
   * bundle changed afterwards is refused when loaded (the runtime's policy loader); default: none.
   */
  readonly sealModel?: (ref: ModelRef) => ModelRef;
}

export class Deployer {
  private state: DeploymentState;
  private readonly deps: DeployerDeps;
  private readonly statePath: string;
  private readonly historyPath: string;
  private readonly store: StateStore;
  /** The trials of the last training cycle, when frozen: all of them are in seenTrials since. */
  private seenAll: readonly RankedTrial[] | null = null;
  /** The sealed models of the last cycle's offer, by id (see sealOffer). */
  private lastOffer: ReadonlyMap<string, ModelRef> = new Map();

  private constructor(deps: DeployerDeps, state: DeploymentState) {
    this.deps = deps;
    this.state = state;
    this.statePath = join(deps.root, DEPLOYMENT_STATE_FILE);
    this.historyPath = join(deps.root, DEPLOYMENT_HISTORY_FILE);
    this.store = deps.store ?? directStateStore;
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
    const state = stored ?? initialDeploymentState(deps.config.mode);
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

  /** The decisions of the last cycle applied (what notifications announce once it is committed). */
  get lastDecisions(): readonly HistoryEntry[] {
    return this.state.lastDecisions;
  }

  private recover(): void {
    const last = this.state.lastCycleTs;
    const marked = this.state.journals?.history;
    if (marked !== undefined) {
      // The committed part of history.jsonl must be intact; after it, only a cycle whose state never landed
      // may have left lines (a crash with the direct store): those are dropped.
      const hint = `restore the journal from a backup; to accept it as it is now, delete the "journals" field of ${this.statePath} (the next start adopts the journal as it is)`;
      const extra = requireJournal(this.historyPath, marked, hint);
      if (extra !== null)
        dropLeftovers(
          this.historyPath,
          marked.bytes,
          extra,
          HistoryEntrySchema,
          (e) => last === null || e.cycleTs > last,
          hint,
        );
    } else {
      // Written before journals were marked (the state then landed before its history lines): entries of
      // cycles after the recorded one are dropped, the recorded cycle's re-appended if a crash lost them.
      rewriteJournal(this.historyPath, HistoryEntrySchema, (e) => last !== null && e.cycleTs <= last);
      const { entries } = readJournal(this.historyPath, HistoryEntrySchema);
      const lastLogged = entries.at(-1)?.cycleTs ?? null;
      if (last !== null && lastLogged !== last && this.state.lastDecisions.length > 0)
        this.store.append(this.historyPath, this.state.lastDecisions);
      if (readJsonFile(this.statePath, DeploymentStateSchema) !== null) this.writeState(); // marked from now on
    }
    if (this.state.lastEffects && last !== null) this.applyEffects(this.state.lastEffects, last);
    // Requests decided by the recorded cycle whose completion a crash interrupted: record them now.
    const decided = new Map(this.state.controlResults.map((c) => [c.id, c.result]));
    for (const request of this.pendingControls()) {
      const result = decided.get(request.id);
      if (result) completeControlRequest(this.deps.root, request, result);
    }
  }

  /** Operator requests waiting for a cycle; an unreadable request file is logged and left for a person. */
  private pendingControls(): ControlRequest[] {
    return pendingControlRequests(this.deps.root, (file, error) =>
      this.deps.logger.error('control request unreadable; left in place', { file, error: error.message }),
    );
  }

  /**
   * This cycle's operator requests, in order: pause/resume always apply; at most one swap (promote,
   * demote, rollback) per cycle, later swap requests wait for the next cycle.
   */
  private decideControls(cycleTs: number, at: string): ControlOutcome {
    let paused = this.state.paused;
    let swap: ControlDecision['swap'] = null;
    const decided: { request: ControlRequest; result: ControlResult }[] = [];
    const entries: HistoryEntry[] = [];
    const requests = this.pendingControls();
    if (requests.length === 0) return { paused, swap, decided, entries };
    // A request decided in a cycle whose commit (and so its completion) is still to come is not decided again.
    const alreadyDecided = new Set(this.state.controlResults.map((c) => c.id));
    for (const request of requests) {
      if (alreadyDecided.has(request.id)) continue;
      const decision = decideControl({
        request,
        state: { ...this.state, paused },
        arenaMember: request.modelId === null ? null : this.deps.arena.activeMember(request.modelId),
        swapTaken: swap !== null,
        cycleTs,
        at,
      });
      if (decision.result === null) continue;
      decided.push({ request, result: decision.result });
      if (decision.entry) entries.push(decision.entry);
      paused = decision.paused;
      swap ??= decision.swap;
    }
    return { paused, swap, decided, entries };
  }

  /** State changes of a manual swap: the deployment, and the stack demote/rollback restores from. */
  private manualSwapChanges(
    swap: NonNullable<ControlDecision['swap']>,
    at: string,
  ): Partial<DeploymentState> {
    const current = this.state.current;
    const previousDeployments = swap.popPrevious
      ? this.state.previousDeployments.slice(0, -1)
      : pushPrevious(this.state.previousDeployments, current);
    return {
      current: deploymentOf(swap.ref, at, 'manual'),
      previousDeployments,
      everDeployed: [...new Set([...this.state.everDeployed, swap.ref.modelId])],
      retiredModelIds:
        swap.retire && current
          ? [...new Set([...this.state.retiredModelIds, current.modelId])]
          : this.state.retiredModelIds,
    };
  }

  /** One cycle at the close of `frame`; skipped when already applied. Returns whether it ran. */
  onFrame(frame: FrameEvent): boolean {
    if (this.state.lastCycleTs !== null && frame.ts <= this.state.lastCycleTs) return false;
    const at = isoTs(frame.ts + frame.market.timeframeMs);
    const controls = this.decideControls(frame.ts, at);
    if (controls.swap !== null || controls.paused.deployer) return this.controlCycle(frame.ts, at, controls);
    if (this.deps.config.mode === 'ensemble') return this.ensembleCycle(frame, controls);
    const { config, arena } = this.deps;
    const trials = this.deps.trialsAt(frame.ts);
    const candidateFile =
      config.mode === 'hybrid' || config.mode === 'arena-only' ? this.deps.readCandidate() : null;
    // The arena's check of this frame (computed once by the gate), not a second evaluation.
    const check = candidateFile ? arena.promotionCheck(candidateFile.modelId) : null;
    const top = trials[0];
    const topId = top ? modelIdOf(top.study, top.number) : '';
    const best =
      top && !listHas(this.state.everDeployed, topId) && !listHas(this.state.seenTrials, topId)
        ? top
        : undefined;
    const rescored =
      best && this.state.current && this.deps.rescore
        ? this.deps.rescore(copyModelRef(this.state.current), refOf(best))
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
    const swap = decision.swap && { ...decision.swap, ref: this.seal(decision.swap.ref) };
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
    entries.push(...controls.entries);
    const retired = this.state.retiredModelIds;
    const effects: CycleEffects = {
      swap: swap
        ? {
            ref: swap.ref,
            source: swap.source,
            previous: previous ? copyModelRef(previous) : null,
            retire: false,
          }
        : null,
      paperPaused: controls.paused.paper,
      candidate:
        decision.candidateAccepted !== null && candidateFile
          ? {
              modelId: candidateFile.modelId,
              accepted: decision.candidateAccepted,
              reason: entries.find((e) => e.action === 'promote' || e.action === 'refuse')?.reason ?? '',
            }
          : null,
      offer: this.sealOffer(decision.offer.filter((r) => !listHas(retired, r.modelId))),
      ...(decision.restart ? { restart: [...decision.restart] } : {}),
    };
    // 1. the state (with this cycle's decisions and effects) lands first, 2. then the journal: see commit().
    this.commit(frame.ts, at, entries, effects, {
      current: swap ? deploymentOf(swap.ref, at, swap.source) : this.state.current,
      everDeployed: swap
        ? [...new Set([...this.state.everDeployed, swap.ref.modelId])]
        : this.state.everDeployed,
      seenTrials: this.seenAfter(trials),
      previousDeployments: swap
        ? pushPrevious(this.state.previousDeployments, previous)
        : this.state.previousDeployments,
      paused: controls.paused,
      controlResults: recentResults(this.state.controlResults, controls.decided),
    });
    // 3. the side effects, recorded in the state and each idempotent (re-applied by open() after a crash)
    this.applyEffects(effects, frame.ts);
    this.completeControls(controls);
    return true;
  }

  /**
   * seenTrials once `trials` are seen: the same array when none is new, as on most frames (trialsAt's frozen
   * array of the last cycle is known to be all seen), else the list with the new ids appended in order.
   */
  private seenAfter(trials: readonly RankedTrial[]): string[] {
    const seen = this.state.seenTrials;
    if (trials === this.seenAll) return seen;
    const fresh = new Set<string>();
    for (const t of trials) {
      const id = modelIdOf(t.study, t.number);
      if (!listHas(seen, id)) fresh.add(id);
    }
    // only a frozen array can be trusted to hold the same trials when it comes back
    this.seenAll = Object.isFrozen(trials) ? trials : null;
    return fresh.size === 0 ? seen : [...seen, ...fresh];
  }

  /**
   * A cycle decided by the operator: a manual swap, or a paused deployer (which decides nothing itself and
   * leaves new trials for after the resume).
   */
  private controlCycle(cycleTs: number, at: string, controls: ControlOutcome): boolean {
    const previous = this.state.current;
    const swap = controls.swap && { ...controls.swap, ref: this.seal(controls.swap.ref) };
    const effects: CycleEffects = {
      swap: swap
        ? {
            ref: swap.ref,
            source: 'manual',
            previous: previous ? copyModelRef(previous) : null,
            retire: swap.retire,
          }
        : null,
      candidate: null,
      offer: [],
      paperPaused: controls.paused.paper,
    };
    this.commit(cycleTs, at, [...controls.entries], effects, {
      ...(swap ? this.manualSwapChanges(swap, at) : {}),
      paused: controls.paused,
      controlResults: recentResults(this.state.controlResults, controls.decided),
    });
    this.applyEffects(effects, cycleTs);
    this.completeControls(controls);
    return true;
  }

  /** Writes each decided request's result beside it (after the state recorded it: see recover()). */
  private completeControls(controls: ControlOutcome): void {
    if (controls.decided.length === 0) return; // most cycles: nothing to record, no effect to queue
    // only once the state recording the results has landed (a transaction's commit)
    this.store.afterCommit(() => {
      for (const { request, result } of controls.decided)
        completeControlRequest(this.deps.root, request, result);
    });
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
      if (paper.model?.modelId !== swap.ref.modelId) {
        const resetPositions = swap.source === 'ensemble';
        // A bundle that cannot be loaded (gone, changed, other symbols) does not stop the cycle: the paper
        // trader holds its positions and reports the model on every frame until a loadable one is deployed.
        try {
          paper.setModel(swap.ref, this.deps.loadPolicy(swap.ref), { resetPositions });
        } catch (error) {
          if (error instanceof InvariantError) throw error; // a bug, not a bad bundle
          paper.setUnavailableModel(swap.ref, error instanceof Error ? error.message : String(error), {
            resetPositions,
          });
        }
      }
      if (swap.source !== 'ensemble' && arena.champion?.modelId !== swap.ref.modelId) {
        if (swap.source === 'promotion' || swap.source === 'manual')
          arena.remove(swap.ref.modelId, 'promoted');
        arena.setChampion(swap.ref);
      }
      // The replaced model keeps competing as a challenger, unless the operator rolled it back.
      const previous = swap.previous;
      if (
        swap.source !== 'ensemble' &&
        !swap.retire &&
        previous &&
        previous.modelId !== swap.ref.modelId &&
        !arena.knownModelIds.has(previous.modelId)
      )
        arena.offer([previous]);
    }
    if (paper.paused !== effects.paperPaused) paper.setPaused(effects.paperPaused);
    const candidate = effects.candidate;
    if (candidate && this.deps.readCandidate()?.modelId === candidate.modelId)
      this.deps.archiveCandidate({
        accepted: candidate.accepted,
        reason: candidate.reason,
        decidedAt: cycleTs,
      });
    // a refused comeback leaves the arena and, when offered again below, starts a fresh window
    for (const id of effects.restart ?? [])
      if (arena.activeMember(id)) arena.remove(id, 'cooldown: its evaluation starts again');
    const fresh = effects.offer.filter((r) => !arena.knownModelIds.has(r.modelId));
    if (fresh.length > 0) arena.offer(fresh);
  }

  /**
   * Ensemble mode: the deployed model is a mean-vote ensemble of the `ensembleSize` best trials. When the
   * membership changes, a new ensemble bundle is deployed and positions are reset (the old system did so).
   */
  private ensembleCycle(frame: FrameEvent, controls: ControlOutcome): boolean {
    const { config } = this.deps;
    const trials = this.deps.trialsAt(frame.ts);
    const at = isoTs(frame.ts + frame.market.timeframeMs);
    const members = ensembleMembers(trials, config.ensembleSize);
    const ids = members.map((m) => modelIdOf(m.study, m.number));
    const changed =
      members.length > 0 && this.state.current?.modelId !== `${ENSEMBLE_STUDY}/${ensembleId(ids)}`;
    const entries: HistoryEntry[] = [];
    let ref: ReturnType<typeof writeEnsemble> | null = null;
    if (changed) {
      ref = this.seal(
        writeEnsemble(this.deps.root, ensembleId(ids), members, this.deps.packageVersion ?? '0.0.0'),
      );
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
    entries.push(...controls.entries);
    const effects: CycleEffects = {
      swap: ref ? { ref, source: 'ensemble', previous: null, retire: false } : null,
      candidate: null,
      offer: [],
      paperPaused: controls.paused.paper,
    };
    this.commit(frame.ts, at, entries, effects, {
      paused: controls.paused,
      controlResults: recentResults(this.state.controlResults, controls.decided),
      current: ref ? deploymentOf(ref, at, 'ensemble') : this.state.current,
      previousDeployments: ref
        ? pushPrevious(this.state.previousDeployments, this.state.current)
        : this.state.previousDeployments,
    });
    this.applyEffects(effects, frame.ts);
    this.completeControls(controls);
    return true;
  }

  /**
   * The cycle's offer with each model the arena does not know sealed. Models the arena knows already are not
   * offered again and need no seal. A model offered on the last cycle too keeps the seal it got then: the
   * top trials are offered every frame, and those the arena keeps out (expired, excluded) are never taken,
   * so re-reading their bundles each frame cost a stat of every file per model and frame. A model that
   * leaves the offer and comes back later is sealed again; one whose bundle could not be read is asked
   * again every cycle (its seal, when the bundle appears, is then its content at that time).
   */
  private sealOffer(offer: readonly ModelRef[]): ModelRef[] {
    const known = this.deps.arena.knownModelIds;
    const last = this.lastOffer;
    const refs: ModelRef[] = [];
    let kept = 0; // models of the last offer, with their seal
    let changed = false; // a model sealed (or asked) now
    for (const r of offer) {
      if (known.has(r.modelId)) {
        refs.push(r);
        continue;
      }
      const before = last.get(r.modelId);
      if (before !== undefined && sameTrialRef(before, r)) {
        refs.push(before);
        kept++;
      } else {
        refs.push(this.seal(r));
        changed = true;
      }
    }
    // The same sealed models as the last offer (most frames): its map stands as it is.
    if (changed || kept !== last.size) {
      const sealed = new Map<string, ModelRef>();
      for (const ref of refs)
        if (!known.has(ref.modelId) && ref.bundleSha256 !== undefined) sealed.set(ref.modelId, ref);
      this.lastOffer = sealed;
    }
    return refs;
  }

  /** `ref` with its bundle's content recorded (see DeployerDeps.sealModel). */
  private seal<R extends ModelRef>(ref: R): R {
    return (this.deps.sealModel?.(ref) as R | undefined) ?? ref;
  }

  /** Registers the state's write, with history.jsonl's mark as the store will leave it. */
  private writeState(): void {
    const state = this.state;
    this.store.writeJson(this.statePath, DeploymentStateSchema, () => ({
      ...state,
      journals: { history: this.store.journalMark(this.historyPath) },
    }));
  }

  /**
   * Records a cycle: the decisions are appended to history.jsonl, then the state (with the cycle's
   * decisions and effects, and history.jsonl's mark) is written, and the decisions logged. The caller
   * applies side effects after: a crash at any point is recovered by open().
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
      history: appendKept(this.state.history, entries, this.deps.config.historyInState),
      lastCycleTs: cycleTs,
      lastDecisions: entries,
      updatedAt: at,
    };
    this.store.append(this.historyPath, entries);
    this.writeState();
    for (const e of entries)
      this.deps.logger.info(`${e.action}: ${e.reason}`, { modelId: e.modelId, ...e.details });
  }
}

interface ControlOutcome {
  readonly paused: DeploymentState['paused'];
  readonly swap: ControlDecision['swap'];
  readonly decided: readonly { request: ControlRequest; result: ControlResult }[];
  readonly entries: readonly HistoryEntry[];
}

const PREVIOUS_KEPT = 10;
const CONTROL_RESULTS_KEPT = 50;

/** The stack of replaced deployments after `replaced` is replaced (bounded). */
function pushPrevious(
  stack: DeploymentState['previousDeployments'],
  replaced: DeploymentState['current'],
): DeploymentState['previousDeployments'] {
  return replaced ? [...stack, replaced].slice(-PREVIOUS_KEPT) : stack;
}

function recentResults(
  kept: DeploymentState['controlResults'],
  decided: ControlOutcome['decided'],
): DeploymentState['controlResults'] {
  return appendKept(
    kept,
    decided.map((d) => ({ id: d.request.id, result: d.result })),
    CONTROL_RESULTS_KEPT,
  );
}

/** The last `max` of `list` then `added`: `list` itself when nothing is added and it fits (most cycles). */
function appendKept<T>(list: T[], added: readonly T[], max: number): T[] {
  if (added.length === 0 && list.length <= max) return list;
  return [...list, ...added].slice(-max);
}

/** Whether `sealed` is `ref` with a seal added: the same trial's bundle at the same path. */
function sameTrialRef(sealed: ModelRef, ref: ModelRef): boolean {
  return (
    sealed.modelId === ref.modelId &&
    sealed.modelPath === ref.modelPath &&
    sealed.study === ref.study &&
    sealed.trialNumber === ref.trialNumber &&
    sealed.trainingScore === ref.trainingScore &&
    ref.bundleSha256 === undefined
  );
}

/** Ensemble ids encode their members: "_ensembles/s-3+s-7+..." (readable, and equal for equal members). */
function ensembleId(ids: readonly string[]): string {
  return ids.map((id) => id.replace(/[^A-Za-z0-9._-]/g, '-')).join('+');
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
    windowStartTs: null,
    psr: null,
    maxDrawdownPct: null,
    rules: [{ rule: 'inArena', threshold: 1, value: 0, passed: false }],
    qualifies: false,
  };
}

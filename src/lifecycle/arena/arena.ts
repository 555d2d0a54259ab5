// The arena: the champion's shadow and up to 9 challengers stepped on the paper trader's frames, with the gate.
import { StateError } from '../../core/errors.js';
import { hoursToBars, periodsPerYear } from '../../core/timeframe.js';
import { ExcessAccumulator, neweyWestLag } from '../../metrics/index.js';
import { PolicyStepper, Simulator, type StepListener } from '../../sim/index.js';
import { directStateStore, readJsonFile, type StateStore } from '../../state/index.js';
import type { ArenaControl, FrameEvent, FrameService, ModelRef } from '../contracts.js';
import type { PromotionCheck } from '../promotion-check.js';
import { type ArenaConfig, resolveArenaConfig } from './arena-config.js';
import { leaderboardOf, writeArenaFiles } from './arena-files.js';
import type { ArenaOptions } from './arena-options.js';
import { arenaPaths } from './arena-paths.js';
import { restoreArena } from './arena-restore.js';
import { type ArenaState, ArenaStateSchema } from './arena-state.js';
import { type Benchmark, benchmarkState, createBenchmarks } from './benchmarks.js';
import { BoundedSeries } from './bounded-series.js';
import { updateCandidateFile } from './candidate-file.js';
import {
  arenaLifeAdvice,
  type ExcessEvidence,
  type ExcessTestDesign,
  evaluateExcessTests,
  excessTestDesign,
} from './excess-test.js';
import { evaluateGate, mayQualify, pickCandidate, storedCheck } from './gate.js';
import { defaultBundleExists, loadMember } from './load-member.js';
import type { ArenaMember } from './member.js';
import { RETIRED_KEPT, Roster } from './roster.js';
import type { Track } from './track.js';

/**
 * The arena (FrameService + ArenaControl). Per frame, after the paper trader: every member and both
 * benchmarks step on the same frame through the shared step path; window metrics and the gate are
 * evaluated; statuses change (each change logged with its numbers); free slots are filled from the queue;
 * the candidate file is written or deleted; leaderboard.txt and then arena_state.json (the commit point
 * with the default store; with the engine's StateTransaction all land at its commit) are written. A
 * model that throws is refused for that step; a bundle that cannot be loaded or is gone removes that
 * member: one bad model never stops the arena.
 */
export class Arena implements FrameService, ArenaControl {
  readonly config: Readonly<ArenaConfig>;
  private readonly paths: ReturnType<typeof arenaPaths>;
  private readonly store: StateStore;
  private readonly stepper: PolicyStepper;
  private readonly ppy: number;
  private readonly frameTs: BoundedSeries;
  private readonly roster: Roster;
  private readonly capacities: { challenger: number; reference: number };
  private readonly refusals: string[] = [];
  private readonly listener: StepListener = { onReject: (_ts, reason) => this.refusals.push(reason) };
  private benchmarks: Benchmark[] = [];
  private last: number | null = null;
  private first: number | null = null;
  private candidate: { modelId: string; createdAt: number } | null = null;
  /** The statistical rule's design (gate.test), or null without it. */
  private readonly design: ExcessTestDesign | null;

  private constructor(private readonly options: ArenaOptions) {
    this.config = resolveArenaConfig(options.config);
    this.paths = arenaPaths(options.root);
    this.store = options.store ?? directStateStore;
    const { symbols, timeframeMs } = options;
    this.stepper = new PolicyStepper(
      options.simulator ?? new Simulator(options.simConfig, symbols, timeframeMs),
    );
    this.ppy = periodsPerYear(timeframeMs);
    this.design = excessTestDesign(this.config, timeframeMs, this.ppy);
    const evalBars = hoursToBars(this.config.maxEvalHours, timeframeMs);
    // A challenger leaves by 2 x maxEvalHours at the latest, so its curve is never trimmed.
    this.capacities = { challenger: 2 * evalBars + 1, reference: evalBars + 1 };
    this.frameTs = new BoundedSeries(this.capacities.challenger);
    this.roster = new Roster({
      symbols,
      timeframeMs,
      config: this.config,
      logger: options.logger,
      challengerCapacity: this.capacities.challenger,
      referenceCapacity: this.capacities.reference,
      frameTs: this.frameTs,
      load: (ref) => loadMember(ref, options),
      startingEquity: () => this.config.startingEquity ?? options.paper.equity,
    });
  }

  /**
   * Opens the arena of a workspace: restores arena_state.json (a file that fails validation is refused
   * with a StateError naming the file and field, and left untouched) and reloads every member's policy;
   * a member whose bundle no longer loads is removed with the reason (and the state written). A new
   * arena starts its benchmarks at its first frame. Throws ConfigError for a bad config.
   */
  static open(options: ArenaOptions): Arena {
    const arena = new Arena(options);
    const path = arena.paths.state;
    const state = readJsonFile(path, ArenaStateSchema);
    if (state && state.symbols.join('\u0000') !== options.symbols.join('\u0000'))
      throw new StateError(
        'ARENA_STATE_SYMBOLS',
        `${path}: field "symbols": the file is for [${state.symbols.join(', ')}] but the market is [${options.symbols.join(', ')}]`,
        { path },
      );
    const changed = state ? arena.restore(state) : false;
    options.logger.info(state ? 'arena restored' : 'arena started', {
      barTs: arena.last,
      members: arena.roster.members.map((m) => m.modelId),
      queued: arena.roster.queue.length,
    });
    const history = options.paper.historyHours;
    if (history !== undefined && history < 2 * arena.config.maxEvalHours)
      options.logger.warn('paper trader keeps less equity history than a challenger window can span', {
        historyHours: history,
        maxEvalHours: arena.config.maxEvalHours,
      });
    const advice = arenaLifeAdvice(arena.design, arena.config.gate.targetIr);
    if (advice?.warning)
      options.logger.warn('arena life shorter than gate.targetIr needs', { warning: advice.warning });
    if (changed) arena.persist();
    return arena;
  }

  get lastBarTs(): number | null {
    return this.last;
  }

  get knownModelIds(): ReadonlySet<string> {
    return this.roster.knownModelIds;
  }

  /** Models that will not be admitted again (expired, or whose bundle failed). */
  get excludedModelIds(): ReadonlySet<string> {
    return new Set(this.roster.excluded);
  }

  /** The challenger with this id while it is in the arena (evaluating or qualified), else null. */
  activeMember(modelId: string): ModelRef | null {
    return this.roster.challengers.find((m) => m.modelId === modelId)?.ref ?? null;
  }

  /** The deployed model's shadow, if any. */
  get champion(): ModelRef | null {
    return this.roster.champion?.ref ?? null;
  }

  /** The current candidate's modelId (as last written), or null. */
  get candidateModelId(): string | null {
    return this.candidate?.modelId ?? null;
  }

  /**
   * Equity after the last frame of every active member (name = modelId) and benchmark ("benchmark: NAME"),
   * with the equity it started from and the frames it has applied (1: the frame just applied was its first).
   */
  equitySnapshot(): {
    name: string;
    modelId: string | null;
    role: string;
    equity: number;
    startingEquity: number;
    bars: number;
  }[] {
    return [
      ...this.roster.members.map((m) => ({
        name: m.modelId,
        modelId: m.modelId,
        role: m.role,
        equity: m.track.curve.last,
        startingEquity: m.track.startingEquity,
        bars: m.track.bars,
      })),
      ...this.benchmarks.map((b) => ({
        name: `benchmark: ${b.name}`,
        modelId: null,
        role: 'benchmark',
        equity: b.track.curve.last,
        startingEquity: b.track.startingEquity,
        bars: b.track.bars,
      })),
    ];
  }

  /** The leaderboard as written to leaderboard.txt. */
  leaderboardText(): string {
    return leaderboardOf(this.state());
  }

  /** The content arena_state.json has (or would have) now. */
  state(): ArenaState {
    const tf = this.options.timeframeMs;
    return {
      schemaVersion: 1,
      symbols: [...this.options.symbols],
      lastBarTs: this.last,
      firstBarTs: this.first,
      updatedAt: this.options.now(),
      frameTs: this.frameTs.toArray(),
      models: [...this.roster.members.map((m) => m.toState(tf, this.frameTs, true)), ...this.roster.retired],
      queue: this.roster.queue.map((q) => ({ ...q })),
      benchmarks: this.benchmarks.map((b) => benchmarkState(b, tf, this.frameTs)),
      excludedModelIds: [...this.roster.excluded],
      candidate: this.candidate,
    };
  }

  /** Applies a frame after lastBarTs (see the class doc); returns false for a frame already applied. */
  onFrame(frame: FrameEvent): boolean {
    if (this.last !== null && frame.ts <= this.last) return false;
    this.stepper.checkFrame(frame.market, frame.t, frame.ts);
    const ts = frame.ts;
    const exists =
      this.options.bundleExists ?? ((ref: ModelRef) => defaultBundleExists(this.options.root, ref));
    if (this.bundleCheckDue(ts))
      for (const m of [...this.roster.members])
        if (!exists(m.ref))
          this.roster.retire(m, 'remove', `bundle gone: ${m.ref.modelPath} no longer exists`, true, ts);
    this.startExcess();
    for (const m of this.roster.members) {
      this.refusals.length = 0;
      m.track.step(this.stepper, frame, m.policy, this.listener);
      for (const reason of this.refusals)
        this.options.logger.warn('policy output refused; positions held', {
          barTs: ts,
          modelId: m.modelId,
          reason,
        });
    }
    if (this.first === null && this.benchmarks.length === 0) this.startBenchmarks(ts);
    for (const b of this.benchmarks) b.track.step(this.stepper, frame, b.policy);
    this.first ??= ts;
    this.last = ts;
    this.frameTs.push(ts);
    for (const b of this.benchmarks) this.refreshMetrics(b.track);
    // Every challenger gets its check for this frame, computed when first read: here only for those whose
    // status it can change (the rest leave their window metrics for the state file to compute).
    this.pushExcess(ts);
    const evidence = this.excessEvidence();
    const judged: ArenaMember[] = [];
    for (const m of this.roster.members) {
      const window = this.refreshMetrics(m.track);
      if (m.role !== 'challenger') continue;
      // literals, not spreads: a spread that adds a field built a new hidden class on every call (profiles)
      const gate: GateWindow = {
        windowStartTs: window.windowStartTs,
        paperReturnPct: window.paperReturnPct,
        hours: m.track.hours(this.options.timeframeMs),
      };
      const excess = evidence.get(m) ?? null;
      m.checkAt(() => this.evaluate(m, gate, excess));
      if (this.gateMatters(m, gate)) judged.push(m);
    }
    const checks = new Map<ArenaMember, PromotionCheck>(judged.map((m) => [m, m.check!]));
    this.roster.applyChecks(checks, ts);
    this.roster.admitFromQueue(ts);
    this.updateCandidate(ts, judged);
    this.persist();
    this.options.logger.info('bar applied', {
      barTs: ts,
      members: this.roster.members.length,
      queued: this.roster.queue.length,
      candidate: this.candidate?.modelId ?? null,
    });
    return true;
  }

  /**
   * Offers models as challengers: a model not already in the arena or its queue, not excluded (expired,
   * bundle failed) and not the champion takes a free slot at once, else waits in the queue (best training
   * score first, at most maxQueue).
   */
  offer(refs: readonly ModelRef[]): void {
    if (this.roster.offer(refs, this.last)) this.persist();
  }

  /**
   * Makes `ref` the champion's shadow from the next frame, starting fresh at the paper trader's equity. A
   * challenger that becomes the champion leaves as `promoted`; the previous shadow leaves as `removed`
   * (the deployer may offer it again as a challenger: becoming champion lifts any earlier exclusion).
   */
  setChampion(ref: ModelRef): void {
    if (this.champion?.modelId === ref.modelId) return;
    this.roster.setChampion(ref, this.last);
    this.persist();
  }

  /**
   * Removes a member or queued model; its slot goes to the queue. The member leaves as `removed` with the
   * reason, or as `promoted` when the reason is "promoted" (the deployer's promotion). Not an exclusion:
   * the model may be offered again.
   */
  remove(modelId: string, reason: string): void {
    if (this.roster.remove(modelId, reason, this.last)) this.persist();
  }

  /**
   * The promotion check of an active challenger at the arena's last frame (null for anything else): the
   * one the gate computed for that frame, or restored from arena_state.json, never computed twice.
   */
  promotionCheck(modelId: string): PromotionCheck | null {
    return this.roster.challengers.find((x) => x.modelId === modelId)?.check ?? null;
  }

  /**
   * With gate.test: a challenger that has not stepped yet starts its excess accumulator; one that stepped
   * before the test was configured gets none (null: its window is not covered, the test cannot pass).
   */
  private startExcess(): void {
    if (this.design === null) return;
    const maxLag = neweyWestLag(this.capacities.challenger);
    for (const m of this.roster.challengers)
      if (m.excess === undefined) m.excess = m.track.bars === 0 ? new ExcessAccumulator(maxLag) : null;
  }

  /**
   * With gate.test, after the members stepped frame `ts`: each challenger's paired excess return, its
   * return on this frame minus the paper trader's (equity after the frame / equity before it). Without the
   * paper trader's return for the frame (not in step, no history) the series is broken: null.
   */
  private pushExcess(ts: number): void {
    if (this.design === null) return;
    const paper = this.options.paper;
    const inStep = paper.lastBarTs === undefined || paper.lastBarTs === ts;
    const before = inStep ? (paper.equityBefore?.(ts) ?? null) : null;
    const paperStep = before !== null && before > 0 ? paper.equity / before - 1 : null;
    for (const m of this.roster.challengers) {
      if (!m.excess) continue;
      const curve = m.track.curve;
      if (paperStep === null || curve.size < 2) m.excess = null;
      else m.excess.push(curve.last / curve.at(curve.size - 2) - 1 - paperStep);
    }
  }

  /** With gate.test: the rule for every challenger at once (family correction), kept on each member. */
  private excessEvidence(): Map<ArenaMember, ExcessEvidence> {
    const out = new Map<ArenaMember, ExcessEvidence>();
    if (this.design === null) return out;
    const challengers = this.roster.challengers;
    const results = evaluateExcessTests(
      this.design,
      challengers.map((m) => ({ summary: m.excess ? m.excess.summary() : null })),
    );
    challengers.forEach((m, i) => {
      m.evidence = results[i]!;
      out.set(m, results[i]!);
    });
    return out;
  }

  /** Refreshes a track's window metrics against the paper trader's return on the same window. */
  private refreshMetrics(track: Track): { windowStartTs: number | null; paperReturnPct: number | null } {
    const windowStartTs = track.windowStartTs(this.frameTs);
    const paper = this.options.paper;
    const inStep = paper.lastBarTs === undefined || paper.lastBarTs === this.last;
    const paperReturnPct = windowStartTs === null || !inStep ? null : paper.returnSince(windowStartTs);
    track.refreshMetrics({
      periodsPerYear: this.ppy,
      timeframeMs: this.options.timeframeMs,
      paperReturnPct,
      windowStartTs,
      lastBarTs: this.last!,
    });
    return { windowStartTs, paperReturnPct };
  }

  /** Whether members' bundles are checked at frame `ts` (see ArenaOptions.bundleCheckEveryMs). */
  private bundleCheckDue(ts: number): boolean {
    const every = this.options.bundleCheckEveryMs ?? 0;
    if (every <= this.options.timeframeMs || this.last === null) return true;
    return Math.floor(ts / every) !== Math.floor(this.last / every);
  }

  /**
   * Whether the gate's verdict can change a challenger's status at this frame. Not for one evaluating
   * below maxEvalHours (no expiry yet) that cannot qualify by the rules that need only the window's ends
   * (see mayQualify): its check is then not read this frame, and its window metrics are computed only when
   * the state is written. The gate's full metrics are the arena's largest cost per frame.
   */
  private gateMatters(m: ArenaMember, window: GateWindow): boolean {
    if (m.status !== 'evaluating' || window.hours >= this.config.maxEvalHours) return true;
    const returnPct = window.paperReturnPct === null ? null : m.track.windowReturnPct();
    return mayQualify(this.config.gate, {
      hours: window.hours,
      returnPct,
      paperReturnPct: window.paperReturnPct,
    });
  }

  private evaluate(m: ArenaMember, window: GateWindow, excess: ExcessEvidence | null): PromotionCheck {
    return evaluateGate({
      excess,
      modelId: m.modelId,
      trialNumber: m.ref.trialNumber,
      hours: window.hours,
      windowStartTs: window.windowStartTs,
      metrics: m.track.metrics,
      paperReturnPct: window.paperReturnPct,
      gate: this.config.gate,
    });
  }

  /** Writes the best qualifying challenger's candidate file, or deletes the file when nobody qualifies. */
  private updateCandidate(ts: number, judged: readonly ArenaMember[]): void {
    const challengers = this.roster.challengers;
    // Only a challenger judged this frame can qualify (see gateMatters); one that left since is out.
    const best = pickCandidate(judged.flatMap((m) => (challengers.includes(m) ? [m.check!] : [])));
    const previous = this.candidate;
    const ref = best && challengers.find((m) => m.modelId === best.modelId)!.ref;
    this.candidate = updateCandidateFile(
      this.options.root,
      previous,
      best && ref && { ref, check: best },
      ts,
      this.options.now(),
      this.store,
    );
    if ((best?.modelId ?? null) !== (previous?.modelId ?? null))
      this.options.logger.info(best ? 'promotion candidate' : 'no promotion candidate', {
        barTs: ts,
        modelId: best?.modelId ?? null,
        previous: previous?.modelId ?? null,
        ...(best ? { excessReturnPct: best.excessReturnPct, sharpe: best.sharpe, hours: best.hours } : {}),
      });
  }

  /** Registers the files with the store; the state is built when it writes (always the latest). */
  private persist(): void {
    writeArenaFiles(this.paths, this.store, () => this.state());
  }

  /** Benchmarks start at the arena's first frame with the paper trader's equity before it. */
  private startBenchmarks(ts: number): void {
    const paper = this.options.paper;
    const equity = this.config.startingEquity ?? paper.equityBefore?.(ts) ?? paper.equity;
    this.benchmarks = createBenchmarks(this.options.symbols, equity, this.capacities.reference);
  }

  /** Rebuilds everything from a validated state; returns whether members had to be removed. */
  private restore(state: ArenaState): boolean {
    this.last = state.lastBarTs;
    this.first = state.firstBarTs;
    for (const ts of state.frameTs) this.frameTs.push(ts);
    this.candidate = state.candidate;
    const restored = restoreArena(state, {
      symbols: this.options.symbols,
      source: this.paths.state,
      challengerCapacity: this.capacities.challenger,
      referenceCapacity: this.capacities.reference,
      load: (ref) => loadMember(ref, this.options),
      checkOf: (m) => storedCheck(m, this.config.gate),
    });
    const roster = this.roster;
    roster.queue = state.queue.map((q) => ({ ...q }));
    for (const id of state.excludedModelIds) roster.excluded.add(id);
    roster.members = restored.members;
    roster.retired = restored.retired.slice(-RETIRED_KEPT);
    this.benchmarks = restored.benchmarks;
    for (const { modelId, reason } of restored.removed) {
      roster.excluded.add(modelId);
      this.options.logger.error('member removed', { barTs: this.last, modelId, to: 'removed', reason });
    }
    return restored.removed.length > 0;
  }
}

/** What the gate knows of a challenger's window at a frame besides its metrics. */
interface GateWindow {
  readonly hours: number;
  readonly windowStartTs: number | null;
  readonly paperReturnPct: number | null;
}

// Arena membership: who is in (shadow, challengers), who waits (queue), who left and who may not return.
import type { Policy } from '../../models/index.js';
import type { ModelRef, ServiceLogger } from '../contracts.js';
import { describeFailures, type PromotionCheck } from '../promotion-check.js';
import type { ArenaConfig } from './arena-config.js';
import type { MemberState } from './arena-state.js';
import type { BoundedSeries } from './bounded-series.js';
import { ArenaMember } from './member.js';
import type { MemberEvent } from './member-status.js';
import { offerToQueue } from './membership.js';
import { Track } from './track.js';

/** Members that left, kept in arena_state.json and the leaderboard for people to see. */
export const RETIRED_KEPT = 10;

export interface RosterDeps {
  readonly symbols: readonly string[];
  readonly timeframeMs: number;
  readonly config: Readonly<ArenaConfig>;
  readonly logger: ServiceLogger;
  /** Curve capacities: challengers never wrap (they leave by 2 x maxEvalHours); the shadow keeps maxEvalHours. */
  readonly challengerCapacity: number;
  readonly referenceCapacity: number;
  /** The arena's recent frame times (window starts of members that leave). */
  readonly frameTs: BoundedSeries;
  /** A model's policy, or why it cannot be loaded. */
  readonly load: (ref: ModelRef) => Policy | string;
  /** Starting equity of a newcomer now. */
  readonly startingEquity: () => number;
}

/**
 * The membership rules, without I/O: admission from the queue into free challenger slots, status changes
 * through the transition table (each logged with the member's numbers), departures, exclusions.
 */
export class Roster {
  retired: MemberState[] = [];
  readonly excluded = new Set<string>();
  private active: readonly ArenaMember[] = [];
  private waiting: readonly ModelRef[] = [];
  /** knownModelIds, built when asked after a change of members or queue (the deployer asks every frame). */
  private known: ReadonlySet<string> | null = null;

  constructor(private readonly deps: RosterDeps) {}

  /** Active members (the shadow first, when there is one); replaced, never changed in place. */
  get members(): readonly ArenaMember[] {
    return this.active;
  }

  set members(members: readonly ArenaMember[]) {
    this.active = members;
    this.known = null;
  }

  /** Models waiting for a challenger slot, best first; replaced, never changed in place. */
  get queue(): readonly ModelRef[] {
    return this.waiting;
  }

  set queue(queue: readonly ModelRef[]) {
    this.waiting = queue;
    this.known = null;
  }

  get champion(): ArenaMember | null {
    return this.members.find((m) => m.role === 'champion-shadow') ?? null;
  }

  get challengers(): ArenaMember[] {
    return this.members.filter((m) => m.role === 'challenger');
  }

  get knownModelIds(): ReadonlySet<string> {
    this.known ??= new Set([...this.members.map((m) => m.modelId), ...this.queue.map((q) => q.modelId)]);
    return this.known;
  }

  /** Queues models not seen before (nor excluded, nor the champion) and fills free slots; returns whether anything changed. */
  offer(refs: readonly ModelRef[], ts: number | null): boolean {
    const champion = this.champion?.modelId;
    const known = this.knownModelIds;
    const fresh = (r: ModelRef) =>
      !known.has(r.modelId) && !this.excluded.has(r.modelId) && r.modelId !== champion;
    const result = offerToQueue(this.queue, refs, fresh, this.deps.config.maxQueue);
    if (result.added.length === 0) return false;
    this.queue = result.queue;
    for (const r of result.dropped)
      this.deps.logger.info('queue full; offer dropped', {
        barTs: ts,
        modelId: r.modelId,
        trainingScore: r.trainingScore,
      });
    this.admitFromQueue(ts);
    return true;
  }

  /** See Arena.setChampion. */
  setChampion(ref: ModelRef, ts: number | null): void {
    const challenger = this.challengers.find((m) => m.modelId === ref.modelId);
    if (challenger) this.retire(challenger, 'promote', 'became the champion', false, ts);
    this.queue = this.queue.filter((q) => q.modelId !== ref.modelId);
    this.excluded.delete(ref.modelId);
    const old = this.champion;
    if (old) this.retire(old, 'remove', `replaced as champion by ${ref.modelId}`, false, ts);
    const policy = this.deps.load(ref);
    if (typeof policy === 'string')
      this.deps.logger.error('champion cannot be loaded; no shadow', {
        barTs: ts,
        modelId: ref.modelId,
        reason: policy,
      });
    else {
      const track = Track.fresh(this.deps.symbols, this.deps.startingEquity(), this.deps.referenceCapacity);
      this.members = [
        new ArenaMember(ref, 'champion-shadow', track, policy, 'evaluating', 'champion shadow'),
        ...this.members,
      ];
      this.deps.logger.info('champion shadow entered', {
        barTs: ts,
        modelId: ref.modelId,
        startingEquity: track.startingEquity,
      });
    }
    this.admitFromQueue(ts);
  }

  /** See Arena.remove; returns whether anything changed. */
  remove(modelId: string, reason: string, ts: number | null): boolean {
    const member = this.members.find((m) => m.modelId === modelId);
    const queued = this.queue.some((q) => q.modelId === modelId);
    if (member) this.retire(member, reason === 'promoted' ? 'promote' : 'remove', reason, false, ts);
    if (queued) {
      this.queue = this.queue.filter((q) => q.modelId !== modelId);
      this.deps.logger.info('queued model removed', { barTs: ts, modelId, reason });
    }
    if (member || queued) this.admitFromQueue(ts);
    return member !== undefined || queued;
  }

  /**
   * Status changes after a frame, from each challenger's fresh gate check: evaluating <-> qualified; an
   * evaluating challenger at maxEvalHours expires; a qualified one waits for the deployer at most until
   * 2 x maxEvalHours. Expired models are excluded from coming back.
   */
  applyChecks(checks: ReadonlyMap<ArenaMember, PromotionCheck>, ts: number): void {
    const maxEval = this.deps.config.maxEvalHours;
    for (const [m, check] of checks) {
      if (check.qualifies && m.status === 'evaluating') this.change(m, 'qualify', 'all rules hold', ts);
      else if (!check.qualifies && m.status === 'qualified')
        this.change(m, 'disqualify', describeFailures(check.rules), ts);
      if (m.status === 'evaluating' && check.hours >= maxEval)
        this.retire(
          m,
          'expire',
          `did not qualify within ${maxEval} h (${describeFailures(check.rules)})`,
          true,
          ts,
        );
      else if (m.status === 'qualified' && check.hours >= 2 * maxEval)
        this.retire(m, 'expire', `qualified but not promoted within ${2 * maxEval} h`, true, ts);
    }
  }

  /** Moves a member out with its final numbers; `exclude` bars it from being admitted again. */
  retire(m: ArenaMember, event: MemberEvent, reason: string, exclude: boolean, ts: number | null): void {
    this.change(m, event, reason, ts);
    this.members = this.members.filter((x) => x !== m);
    const stored = m.toState(this.deps.timeframeMs, this.deps.frameTs, false);
    this.retired = [...this.retired, stored].slice(-RETIRED_KEPT);
    if (exclude) this.excluded.add(m.modelId);
  }

  /** Fills free challenger slots from the queue, best first; a model that cannot be loaded is excluded. */
  admitFromQueue(ts: number | null): void {
    while (this.queue.length > 0 && this.challengers.length < this.deps.config.maxChallengers) {
      const ref = this.queue[0]!;
      this.queue = this.queue.slice(1);
      const policy = this.deps.load(ref);
      if (typeof policy === 'string') {
        this.excluded.add(ref.modelId);
        const reason = `bundle cannot be loaded: ${policy}`;
        this.deps.logger.error('offered model not admitted', { barTs: ts, modelId: ref.modelId, reason });
        continue;
      }
      const track = Track.fresh(this.deps.symbols, this.deps.startingEquity(), this.deps.challengerCapacity);
      this.members = [
        ...this.members,
        new ArenaMember(ref, 'challenger', track, policy, 'evaluating', 'entered'),
      ];
      this.deps.logger.info('challenger entered', {
        barTs: ts,
        modelId: ref.modelId,
        trainingScore: ref.trainingScore,
        startingEquity: track.startingEquity,
      });
    }
  }

  private change(m: ArenaMember, event: MemberEvent, reason: string, ts: number | null): void {
    const from = m.transition(event, reason, ts);
    const fields = { barTs: ts, modelId: m.modelId, role: m.role, from, to: m.status, reason };
    this.deps.logger.info(`member ${m.status}`, { ...fields, ...m.logFields(this.deps.timeframeMs) });
  }
}

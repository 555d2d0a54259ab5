// An arena member: a model (champion's shadow or challenger) with its track, status and last gate check.
import type { Policy } from '../../models/index.js';
import type { ModelRef } from '../contracts.js';
import { copyModelRef } from '../model-ref.js';
import type { MemberState } from './arena-state.js';
import type { BoundedSeries } from './bounded-series.js';
import type { ArenaPromotionCheck } from './gate.js';
import { type MemberEvent, type MemberStatus, nextStatus } from './member-status.js';
import type { Track } from './track.js';

export type MemberRole = 'champion-shadow' | 'challenger';

/** A model stepped in the arena. Mutable; owned by one Arena. */
export class ArenaMember {
  readonly ref: ModelRef;
  status: MemberStatus;
  reason: string | null;
  leftAt: number | null = null;
  /** The gate's verdict after the last frame (challengers past minHours or qualified; else null). */
  check: ArenaPromotionCheck | null = null;

  constructor(
    ref: ModelRef,
    readonly role: MemberRole,
    readonly track: Track,
    readonly policy: Policy,
    status: MemberStatus = 'evaluating',
    reason: string | null = null,
  ) {
    this.ref = copyModelRef(ref);
    this.status = status;
    this.reason = reason;
  }

  get modelId(): string {
    return this.ref.modelId;
  }

  /** Applies `event` through the transition table (throws InvariantError for a pair not in it). */
  transition(event: MemberEvent, reason: string, ts: number | null): MemberStatus {
    const from = this.status;
    this.status = nextStatus(from, event);
    this.reason = reason;
    if (event === 'expire' || event === 'remove' || event === 'promote') this.leftAt = ts;
    return from;
  }

  /** The numbers logged with every status change. */
  logFields(timeframeMs: number): Record<string, unknown> {
    const m = this.track.metrics;
    return {
      hours: this.track.hours(timeframeMs),
      returnPct: m.returnPct,
      paperReturnPct: m.paperReturnPct,
      excessReturnPct: m.excessReturnPct,
      sharpe: m.sharpe,
      sortino: m.sortino,
      maxDrawdownPct: m.maxDrawdownPct,
      trades: m.trades,
      rules: this.check?.rules ?? null,
    };
  }

  /** The stored form; a member that left keeps its metrics but not its portfolio or curve. */
  toState(timeframeMs: number, frameTs: BoundedSeries, active: boolean): MemberState {
    return {
      ...this.ref,
      role: this.role,
      status: this.status,
      reason: this.reason,
      leftAt: this.leftAt,
      ...this.track.toState(timeframeMs, frameTs, active),
    };
  }
}

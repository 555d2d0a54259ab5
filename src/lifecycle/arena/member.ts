// An arena member: a model (champion's shadow or challenger) with its track, status and last gate check.

import type { ExcessAccumulator } from '../../metrics/index.js';
import type { Policy } from '../../models/index.js';
import type { ModelRef } from '../contracts.js';
import { copyModelRef } from '../model-ref.js';
import { type PromotionCheck, verdictOf } from '../promotion-check.js';
import type { MemberState } from './arena-state.js';
import type { BoundedSeries } from './bounded-series.js';
import type { ExcessEvidence } from './excess-test.js';
import { type MemberEvent, type MemberStatus, nextStatus } from './member-status.js';
import type { Track } from './track.js';

export type MemberRole = 'champion-shadow' | 'challenger';

/** A model stepped in the arena. Mutable; owned by one Arena. */
export class ArenaMember {
  readonly ref: ModelRef;
  status: MemberStatus;
  reason: string | null;
  leftAt: number | null = null;
  /** The check of the last frame, or how to compute it (at most once, when first read). */
  private checked: PromotionCheck | null = null;
  /**
   * With gate.test, a challenger's paired excess returns since entry (null: a frame had no paper trader
   * return, or it entered before the test was configured); undefined without the test.
   */
  excess: ExcessAccumulator | null | undefined = undefined;
  /** The statistical rule's evidence after the last frame (with gate.test). */
  evidence: ExcessEvidence | undefined = undefined;
  private evaluate: (() => PromotionCheck) | null = null;

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

  /**
   * The promotion check of a challenger at its last frame (null for the shadow and before its first
   * frame): computed once, when first read (by the gate when it can change the status, by the deployer,
   * or when the state is written), from the inputs `checkAt` recorded for that frame.
   */
  get check(): PromotionCheck | null {
    if (this.evaluate) {
      this.checked = this.evaluate();
      this.evaluate = null;
    }
    return this.checked;
  }

  /** Records how the gate judges the frame just stepped (read lazily through `check`). */
  checkAt(evaluate: () => PromotionCheck): void {
    this.evaluate = evaluate;
    this.checked = null;
  }

  /** The check restored from arena_state.json (the one computed at its last frame). */
  restoreCheck(check: PromotionCheck | null): void {
    this.evaluate = null;
    this.checked = check;
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
      gate: this.role === 'challenger' && this.check ? verdictOf(this.check) : null,
      // only with gate.test: without it the file holds what it held before the test existed
      ...(this.excess !== undefined && active ? { excess: this.excess?.toState() ?? null } : {}),
      ...(this.evidence ? { evidence: this.evidence } : {}),
    };
  }
}

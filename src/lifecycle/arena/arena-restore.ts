// Rebuilding an arena from a validated arena_state.json: tracks, benchmarks, and members whose model loads.
import { ExcessAccumulator } from '../../metrics/index.js';
import type { Policy } from '../../models/index.js';
import type { ModelRef } from '../contracts.js';
import type { PromotionCheck } from '../promotion-check.js';
import type { ArenaState, MemberState } from './arena-state.js';
import { type Benchmark, restoreBenchmarks } from './benchmarks.js';
import { ArenaMember } from './member.js';
import { isActive, nextStatus } from './member-status.js';
import { Track } from './track.js';

export interface RestoredArena {
  readonly members: ArenaMember[];
  readonly benchmarks: Benchmark[];
  /** Members that left before, then those removed now because their model no longer loads. */
  readonly retired: MemberState[];
  /** Members removed now, with the reason. */
  readonly removed: readonly { readonly modelId: string; readonly reason: string }[];
}

/**
 * Restores the members and benchmarks of `state`. `load` returns a member's policy or the reason it cannot
 * be loaded; such a member leaves as `removed` (through the status table) with that reason.
 */
export function restoreArena(
  state: ArenaState,
  options: {
    readonly symbols: readonly string[];
    /** The state file's path, for error messages. */
    readonly source: string;
    readonly challengerCapacity: number;
    readonly referenceCapacity: number;
    readonly load: (ref: ModelRef) => Policy | string;
    /** A stored member's promotion check at the state's last frame (null for none). */
    readonly checkOf: (m: MemberState) => PromotionCheck | null;
  },
): RestoredArena {
  const { symbols, source } = options;
  const members: ArenaMember[] = [];
  const retired = state.models.filter((m) => !isActive(m.status));
  const removed: { modelId: string; reason: string }[] = [];
  state.models.forEach((m, k) => {
    if (!isActive(m.status)) return;
    const capacity = m.role === 'challenger' ? options.challengerCapacity : options.referenceCapacity;
    const track = Track.restore(m, symbols, capacity, `${source}: models.${k}`);
    const policy = options.load(m);
    if (typeof policy !== 'string') {
      const member = new ArenaMember(m, m.role, track, policy, m.status, m.reason);
      if (m.role === 'challenger') member.restoreCheck(options.checkOf(m));
      if (m.excess !== undefined) member.excess = m.excess && ExcessAccumulator.fromState(m.excess);
      member.evidence = m.evidence;
      members.push(member);
      return;
    }
    const reason = `bundle cannot be loaded: ${policy}`;
    retired.push({
      ...m,
      status: nextStatus(m.status, 'remove'),
      reason,
      leftAt: state.lastBarTs,
      portfolio: null,
      equity: m.equity.slice(-1),
    });
    removed.push({ modelId: m.modelId, reason });
  });
  return {
    members,
    benchmarks: restoreBenchmarks(state.benchmarks, symbols, options.referenceCapacity, source),
    retired,
    removed,
  };
}

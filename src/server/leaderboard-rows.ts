// /api/arena/leaderboard's rows: the active members in leaderboard.txt's order with the gate's stored verdict (pure).
import type { ArenaState } from '../lifecycle/arena/index.js';
import { isActive, rankMembers } from '../lifecycle/arena/index.js';
import type { LeaderRow } from './api-schemas.js';

/**
 * Active members (evaluating, qualified) ranked as leaderboard.txt ranks them, each with the verdict the
 * arena's gate stored for it at its last frame: every rule the gate applied (optional ones and any added
 * later included), read, never re-derived from the configuration.
 */
export function leaderRows(arena: ArenaState | null): LeaderRow[] {
  const active = (arena?.models ?? []).filter((m) => isActive(m.status));
  return rankMembers(active).map((m, k) => {
    const x = m.metrics;
    return {
      rank: k + 1,
      modelId: m.modelId,
      trialNumber: m.trialNumber,
      role: m.role,
      status: m.status,
      hours: m.hours,
      returnPct: x.returnPct,
      paperReturnPct: x.paperReturnPct,
      excessReturnPct: x.excessReturnPct,
      sharpe: x.sharpe,
      sortino: x.sortino,
      maxDrawdownPct: x.maxDrawdownPct,
      trades: x.trades,
      gate: m.gate ?? null,
    };
  });
}

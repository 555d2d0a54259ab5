// /api/arena/leaderboard's rows: the active members in leaderboard.txt's order with their gate progress (pure).
import type { ArenaState, GateConfig } from '../lifecycle/arena/index.js';
import { isActive, rankMembers } from '../lifecycle/arena/index.js';
import type { LeaderRow } from './api-schemas.js';

/**
 * Active members (evaluating, qualified) ranked as leaderboard.txt ranks them, each with how far it is on
 * the gate's three main rules: hours >= minHours, excess return >= minExcessPct, Sharpe > minSharpe (a null
 * value never passes, as in the gate).
 */
export function leaderRows(arena: ArenaState | null, gate: GateConfig): LeaderRow[] {
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
      progress: {
        hours: { value: m.hours, threshold: gate.minHours, passed: m.hours >= gate.minHours },
        excessReturnPct: {
          value: x.excessReturnPct,
          threshold: gate.minExcessPct,
          passed: x.excessReturnPct !== null && x.excessReturnPct >= gate.minExcessPct,
        },
        sharpe: {
          value: x.sharpe,
          threshold: gate.minSharpe,
          passed: x.sharpe !== null && x.sharpe > gate.minSharpe,
        },
      },
    };
  });
}

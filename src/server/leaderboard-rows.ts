// /api/arena/leaderboard's rows: the active members in leaderboard.txt's order with the gate's stored verdict (pure).
import type { ArenaState, MemberMetrics } from '../lifecycle/arena/index.js';
import { isActive, rankMembers } from '../lifecycle/arena/index.js';
import type { BenchmarkRow, FigureWindowLabel, LeaderRow } from './api-schemas.js';

const iso = (ts: number) => new Date(ts).toISOString();

function label(w: { fromTs: number; toTs: number; hours: number }): FigureWindowLabel {
  return { from: iso(w.fromTs), to: iso(w.toTs), hours: w.hours };
}

/** A track's stored figures with their windows as labels (read, never recomputed). */
function trackFigures(x: MemberMetrics) {
  return {
    sinceEntry: x.sinceEntry ? { ...label(x.sinceEntry), returnPct: x.sinceEntry.returnPct } : null,
    window: x.window ? label(x.window) : null,
    returnPct: x.returnPct,
    paperReturnPct: x.paperReturnPct,
    excessReturnPct: x.excessReturnPct,
    sharpe: x.sharpe,
    psr: x.psr,
    sortino: x.sortino,
    maxDrawdownPct: x.maxDrawdownPct,
    trades: x.trades,
  };
}

/** The arena's benchmarks with their stored figures, since the arena's first bar and over the trailing window. */
export function benchmarkRows(arena: ArenaState | null): BenchmarkRow[] {
  return (arena?.benchmarks ?? []).map((b) => ({ name: b.name, ...trackFigures(b.metrics) }));
}

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
      ...trackFigures(x),
      gate: m.gate ?? null,
    };
  });
}

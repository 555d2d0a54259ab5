// /api/equity's series: the paper trader's journal, arena members' and benchmarks' windows, and markers (pure).
import type { ArenaState } from '../lifecycle/arena/index.js';
import { isActive } from '../lifecycle/arena/index.js';
import type { HistoryEntry } from '../lifecycle/deployer/index.js';
import type { EquityLine } from '../lifecycle/paper/index.js';
import type { EquityResponse } from './api-schemas.js';

type Series = { ts: number[]; equity: number[] };

const MARKER_ACTIONS = new Set(['deploy', 'promote', 'manual', 'refuse']);

function last(series: Series, limit: number): Series {
  const from = Math.max(0, series.ts.length - limit);
  return { ts: series.ts.slice(from), equity: series.equity.slice(from) };
}

/**
 * A track's equity window with bar-close times. The window ends at the arena's last frame: point k >= 1 is
 * the equity after frame `frameTs[n - L + k]`, marked at its close; point 0 (the equity before the window's
 * first frame) sits at the previous frame's close, or at the first frame's open when frameTs starts there.
 * Points older than frameTs cannot be placed and are left out.
 */
export function alignTrack(
  equity: readonly number[],
  frameTs: readonly number[],
  timeframeMs: number,
): Series {
  const out: Series = { ts: [], equity: [] };
  const n = frameTs.length;
  const length = equity.length;
  for (let k = 0; k < length; k++) {
    const index = n - length + k;
    let x: number | undefined;
    if (index >= 0) x = frameTs[index]! + timeframeMs;
    else if (index === -1 && n > 0) x = frameTs[0]!; // the open of the first frame = the close before it
    if (x === undefined) continue;
    out.ts.push(x);
    out.equity.push(equity[k]!);
  }
  return out;
}

export interface EquityInput {
  readonly paper: readonly EquityLine[];
  readonly arena: ArenaState | null;
  readonly history: readonly HistoryEntry[];
  readonly timeframeMs: number;
  /** Points kept at the end of each series. */
  readonly limit: number;
}

/**
 * Every curve on one time scale (bar closes, epoch ms). Arena members are the active ones (members that
 * left have no curve any more); markers are deployments, promotions, manual actions and refusals.
 */
export function buildEquitySeries(input: EquityInput): Omit<EquityResponse, 'problems'> {
  const { timeframeMs, limit } = input;
  const paper = last(
    { ts: input.paper.map((l) => l.ts + timeframeMs), equity: input.paper.map((l) => l.equity) },
    limit,
  );
  const frameTs = input.arena?.frameTs ?? [];
  const models = (input.arena?.models ?? [])
    .filter((m) => isActive(m.status))
    .map((m) => ({
      modelId: m.modelId,
      role: m.role,
      status: m.status,
      ...last(alignTrack(m.equity, frameTs, timeframeMs), limit),
    }));
  const benchmarks = (input.arena?.benchmarks ?? []).map((b) => ({
    name: b.name,
    ...last(alignTrack(b.equity, frameTs, timeframeMs), limit),
  }));
  const markers = input.history
    .filter((e) => MARKER_ACTIONS.has(e.action))
    .map((e) => ({
      ts: e.cycleTs + timeframeMs,
      kind: e.action as EquityResponse['markers'][number]['kind'],
      modelId: e.modelId,
      label: e.reason,
    }));
  return { paper, models, benchmarks, markers };
}

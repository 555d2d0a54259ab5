// arena_state/leaderboard.txt: the fixed-width table of members (DESIGN.md columns), benchmarks, recent exits.
import { isoTs } from '../../market/market-data.js';
import type { BenchmarkState, MemberMetrics, MemberState } from './arena-state.js';
import { isActive } from './member-status.js';

interface Row {
  readonly rank: string;
  readonly model: string;
  readonly trial: string;
  readonly metrics: MemberMetrics;
  readonly status: string;
}

const HEADERS = [
  'Rank',
  'Model',
  'Trial',
  'Entered',
  'Hours',
  'Return %',
  'Window from',
  'Window h',
  'Window %',
  'vs paper (pp)',
  'Sharpe',
  'PSR',
  'Sortino',
  'Max DD %',
  'Trades',
  'Status',
];
const LEFT = new Set([1, 15]);

const num = (x: number | null | undefined, digits = 2, signed = false): string =>
  x === null || x === undefined || !Number.isFinite(x)
    ? '-'
    : `${signed && x > 0 ? '+' : ''}${x.toFixed(digits)}`;

/** An epoch-ms time to the minute, as the leaderboard labels windows: "2024-06-15T16:00Z". */
export function minuteIso(ts: number | null | undefined): string {
  return ts === null || ts === undefined ? '-' : isoTs(ts).replace(/:\d\d\.\d{3}Z$/, 'Z');
}

/** Members ranked by excess return over the paper trader (then return); undefined values rank last. */
export function rankMembers(members: readonly MemberState[]): MemberState[] {
  const key = (x: number | null) => (x === null ? Number.NEGATIVE_INFINITY : x);
  return [...members].sort(
    (a, b) =>
      key(b.metrics.excessReturnPct) - key(a.metrics.excessReturnPct) ||
      key(b.metrics.returnPct) - key(a.metrics.returnPct) ||
      (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0),
  );
}

/**
 * The arena's leader: the first active member (evaluating, qualified) as leaderboard.txt ranks them, or
 * null. What `status`, the daily summary and the dashboard call the leader.
 */
export function arenaLeader(models: readonly MemberState[]): MemberState | null {
  return rankMembers(models.filter((m) => isActive(m.status)))[0] ?? null;
}

function cells(r: Row): string[] {
  const m = r.metrics;
  return [
    r.rank,
    r.model,
    r.trial,
    minuteIso(m.sinceEntry?.fromTs),
    num(m.sinceEntry?.hours, 1),
    num(m.sinceEntry?.returnPct),
    minuteIso(m.window?.fromTs),
    num(m.window?.hours, 1),
    num(m.returnPct),
    num(m.excessReturnPct, 2, true),
    num(m.sharpe),
    num(m.psr),
    num(m.sortino),
    num(m.maxDrawdownPct),
    String(m.trades),
    r.status,
  ];
}

/** Left-aligns text columns (model, status), right-aligns numbers. */
function table(rows: readonly string[][]): string[] {
  const widths = HEADERS.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) =>
    row
      .map((cell, c) => (LEFT.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** One challenger's statistical evidence in words: IR with its interval, t vs boundary, time to a decision. */
export function evidenceLine(e: NonNullable<MemberState['evidence']>): string {
  const decision = e.passed
    ? 'passes the test'
    : e.hoursToDecision !== null
      ? `about ${Math.round(e.hoursToDecision)} h more if the observed IR were real`
      : e.horizonNeededHours !== null
        ? `not decidable within the horizon: would need an arena life of about ${Math.round(e.horizonNeededHours)} h`
        : 'no positive edge observed';
  return `IR ${num(e.ir, 1)} [95 % ${num(e.irLower, 1)}, ${num(e.irUpper, 1)}] over ${e.bars} bars; t ${num(e.statistic)} vs boundary ${num(e.boundary)}; p ${e.pValue.toPrecision(3)} vs ${e.level.toPrecision(3)}; ${decision}`;
}

/**
 * The leaderboard text: active members ranked (the champion's shadow marked "(champion)"), then the
 * benchmarks, then the members that left most recently with their reason. Pure: same input, same text.
 */
export function renderLeaderboard(input: {
  readonly lastBarTs: number | null;
  readonly active: readonly MemberState[];
  readonly retired: readonly MemberState[];
  readonly benchmarks: readonly BenchmarkState[];
  readonly queued: number;
}): string {
  const memberRows: Row[] = rankMembers(input.active).map((m, k) => ({
    rank: String(k + 1),
    model: m.role === 'champion-shadow' ? `${m.modelId} (champion)` : m.modelId,
    trial: m.trialNumber === null ? '-' : String(m.trialNumber),
    metrics: m.metrics,
    status: m.status,
  }));
  const benchRows: Row[] = input.benchmarks.map((b) => ({
    rank: '-',
    model: `benchmark: ${b.name}`,
    trial: '-',
    metrics: b.metrics,
    status: 'benchmark',
  }));
  const rows = table([HEADERS, ...[...memberRows, ...benchRows].map(cells)]);
  const header = rows[0]!;
  const rule = '-'.repeat(header.length);
  const to = [...input.active, ...input.benchmarks].find((x) => x.metrics.window)?.metrics.window?.toTs;
  const lines = [
    `Arena leaderboard - last bar ${input.lastBarTs === null ? 'none' : isoTs(input.lastBarTs)} - ${input.active.length} members, ${input.queued} queued`,
    `Windows: every figure runs to the close of the last bar, ${minuteIso(to ?? null)}. Entered, Hours, Return %: since the`,
    "model's first bar (a benchmark's: the arena's). Window from, Window h and the figures after them: the window the gate",
    "reads (a challenger's whole life; the trailing maxEvalHours for the champion's shadow and the benchmarks).",
    'vs paper: the paper trader over the same window. PSR: probability that the true Sharpe over it is above 0.',
    '',
    header,
    rule,
    ...rows.slice(1, 1 + memberRows.length),
    '',
    'Benchmarks',
    rule,
    ...rows.slice(1 + memberRows.length),
  ];
  const withEvidence = rankMembers(input.active).filter((m) => m.evidence);
  if (withEvidence.length > 0) {
    lines.push('', `What the evidence is worth (${withEvidence[0]!.evidence!.method})`, rule);
    for (const m of withEvidence) lines.push(`${m.modelId}  ${evidenceLine(m.evidence!)}`);
  }
  if (input.retired.length > 0) {
    lines.push('', 'Left the arena (most recent last)', rule);
    for (const m of input.retired)
      lines.push(
        `${m.modelId}  ${m.status}  ${m.leftAt === null ? '' : isoTs(m.leftAt)}  return ${num(m.metrics.returnPct)} % over ${num(m.metrics.window?.hours ?? m.hours, 1)} h, vs paper ${num(m.metrics.excessReturnPct, 2, true)} pp: ${m.reason ?? ''}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

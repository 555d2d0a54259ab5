// The daily summary: a pure builder from what the lifecycle knows, and when the next one is due.
import { type HistoryEntry, isManualSwap } from '../../lifecycle/deployer/index.js';
import type { NotificationOf } from './notification.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface DailySummaryInput {
  /** When the summary is made, epoch ms (bar close in a replay, wall time live). */
  readonly ts: number;
  /** Paper trader equity now, and 24 h before `ts` (PaperTrader.equityBefore(ts - 24 h); null if unknown). */
  readonly equity: number;
  readonly equityDayAgo: number | null;
  readonly deployed: { readonly modelId: string; readonly trainingScore: number | null } | null;
  /** The arena member ranked first (by excess return over paper, as the leaderboard), or null. */
  readonly arenaLeader: {
    readonly modelId: string;
    readonly hours: number;
    readonly returnPct: number | null;
    readonly excessReturnPct: number | null;
  } | null;
  /** Deployer decisions of the last 24 h (see countDecisions). */
  readonly deployments: number;
  readonly promotions: number;
  readonly refusals?: number;
}

/** The 'daily-summary' notification (info; one per UTC date: the dedupe key is the date). */
export function buildDailySummary(input: DailySummaryInput): NotificationOf<'daily-summary'> {
  const date = new Date(input.ts).toISOString().slice(0, 10);
  const before = input.equityDayAgo;
  return {
    kind: 'daily-summary',
    severity: 'info',
    ts: input.ts,
    dedupeKey: `daily-summary:${date}`,
    date,
    equity: input.equity,
    equityDayAgo: before,
    returnPct24h: before !== null && before > 0 ? (input.equity / before - 1) * 100 : null,
    deployedModelId: input.deployed?.modelId ?? null,
    deployedScore: input.deployed?.trainingScore ?? null,
    arenaLeader: input.arenaLeader ? { ...input.arenaLeader } : null,
    deployments: input.deployments,
    promotions: input.promotions,
    refusals: input.refusals ?? 0,
  };
}

/**
 * Deployer decisions with cycleTs in [sinceTs, untilTs): deployments (deploy, and operator requests that
 * swapped the model), promotions and refused candidates. Feed it history.jsonl's entries (or deployment_state.json's recent history).
 */
export function countDecisions(
  entries: readonly HistoryEntry[],
  sinceTs: number,
  untilTs: number,
): { deployments: number; promotions: number; refusals: number } {
  const counts = { deployments: 0, promotions: 0, refusals: 0 };
  for (const e of entries) {
    if (e.cycleTs < sinceTs || e.cycleTs >= untilTs) continue;
    if (e.action === 'deploy' || isManualSwap(e)) counts.deployments++;
    else if (e.action === 'promote') counts.promotions++;
    else if (e.action === 'refuse') counts.refusals++;
  }
  return counts;
}

/** The latest scheduled summary time <= nowMs: today's `hourUtc`:00 UTC, or yesterday's if not reached. */
export function lastScheduledSummaryMs(nowMs: number, hourUtc: number): number {
  const offset = hourUtc * HOUR_MS;
  return Math.floor((nowMs - offset) / DAY_MS) * DAY_MS + offset;
}

/**
 * Whether a summary is due at `nowMs` (bar time or wall time: use one consistently): the scheduled time
 * has passed and the last summary was sent before it. Never sent (null): due only within the hour after the
 * scheduled time, so starting the daemon in the afternoon does not send one at once, and missing a day
 * (downtime) sends one late rather than never.
 */
export function isSummaryDue(lastSentMs: number | null, nowMs: number, hourUtc: number): boolean {
  const scheduled = lastScheduledSummaryMs(nowMs, hourUtc);
  if (lastSentMs === null) return nowMs - scheduled < HOUR_MS;
  return lastSentMs < scheduled;
}

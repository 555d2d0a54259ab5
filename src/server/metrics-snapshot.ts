// What /metrics reports, read from the workspace's files at scrape time (one read of each file per scrape).
import { join } from 'node:path';
import {
  ArenaStateSchema,
  arenaPaths,
  isActive,
  PromotionCandidateSchema,
} from '../lifecycle/arena/index.js';
import { DEPLOYMENT_STATE_FILE, DeploymentStateSchema } from '../lifecycle/deployer/index.js';
import { EquityLineSchema, PaperStateSchema, paperPaths } from '../lifecycle/paper/index.js';
import { heartbeatAgeSeconds } from '../runtime/heartbeat.js';
import { lockHolder } from '../runtime/run-lock.js';
import type { Problem, WorkerBody } from './api-schemas.js';
import { readJournalEntries, readStateFile, tryReadingAsync } from './state-readers.js';
import { completedTrials, type StudyCatalog, studyWorkers } from './study-catalog.js';
import { inferTimeframeMs } from './timeframe.js';

export interface PaperFigures {
  /** positions_state.json's `equity`, unchanged. */
  readonly equity: number;
  readonly cash: number;
  /** equity / initialEquity - 1 (return since before the first bar). */
  readonly returnRatio: number;
  /** 1 - equity / running peak of equity.jsonl (and the initial equity): 0 at a new high. */
  readonly drawdownRatio: number;
  readonly positionsValue: number;
  /** Frames applied (lines of equity.jsonl). */
  readonly bars: number;
  /** Steps whose policy output the simulator refused (the portfolio's counter). */
  readonly refusedSteps: number;
  /** The deployed model when it cannot be loaded (the trader holds its positions), else null. */
  readonly unavailableModelId: string | null;
}

export interface ArenaFigures {
  readonly evaluating: number;
  readonly qualified: number;
  readonly queued: number;
  /** Frames the arena has applied since its first (its benchmarks step on every frame). */
  readonly bars: number;
  /** Refused steps of each active member. */
  readonly refusedSteps: readonly { modelId: string; steps: number }[];
}

export interface MetricsSnapshot {
  readonly paper: PaperFigures | null;
  readonly arena: ArenaFigures | null;
  /** Seconds from the last applied bar's close to now; null before any bar. */
  readonly feedLagSeconds: number | null;
  readonly heartbeatAgeSeconds: number | null;
  readonly supervisorRunning: boolean;
  readonly trialsCompleted: ReadonlyMap<string, number>;
  /** The `worker` processes recorded in the studies. */
  readonly workers: readonly WorkerBody[];
  readonly problems: readonly Problem[];
}

/** Reads the snapshot; a file that cannot be read leaves its figures out and counts as a problem. */
export async function readMetricsSnapshot(
  root: string,
  studies: StudyCatalog,
  nowMs: number,
): Promise<MetricsSnapshot> {
  const problems: Problem[] = [];
  const paperFiles = paperPaths(root);
  const state = readStateFile(paperFiles.state, PaperStateSchema, problems);
  const lines = state ? readJournalEntries(paperFiles.equity, EquityLineSchema, problems) : [];
  const arenaState = readStateFile(arenaPaths(root).state, ArenaStateSchema, problems);
  let paper: PaperFigures | null = null;
  if (state) {
    let peak = state.initialEquity;
    for (const line of lines) if (line.equity > peak) peak = line.equity;
    if (state.equity > peak) peak = state.equity;
    paper = {
      equity: state.equity,
      cash: state.cash,
      returnRatio: state.equity / state.initialEquity - 1,
      drawdownRatio: peak > 0 ? 1 - state.equity / peak : 0,
      positionsValue: state.positions.reduce((sum, p) => sum + p.value, 0),
      bars: lines.length,
      refusedSteps: state.portfolio.counters.rejectedSteps,
      unavailableModelId: state.modelError ? state.modelId : null,
    };
  }
  let arena: ArenaFigures | null = null;
  if (arenaState) {
    const active = arenaState.models.filter((m) => isActive(m.status));
    arena = {
      evaluating: active.filter((m) => m.status === 'evaluating').length,
      qualified: active.filter((m) => m.status === 'qualified').length,
      queued: arenaState.queue.length,
      bars: Math.max(0, ...arenaState.benchmarks.map((b) => b.bars)),
      refusedSteps: active.map((m) => ({ modelId: m.modelId, steps: m.metrics.refusedSteps })),
    };
  }
  const lastBarTs = Math.max(state?.lastBarTs ?? -Infinity, arenaState?.lastBarTs ?? -Infinity);
  const timeframeMs = inferTimeframeMs(
    arenaState,
    lines.slice(-2).map((l) => l.ts),
  );
  // read only to report a broken file: every state file counts in hybrid_trader_state_problems
  readStateFile(join(root, DEPLOYMENT_STATE_FILE), DeploymentStateSchema, problems);
  readStateFile(arenaPaths(root).candidate, PromotionCandidateSchema, problems);
  const fromStorage = await tryReadingAsync(
    studies.file,
    problems,
    { trialsCompleted: new Map<string, number>(), workers: [] as WorkerBody[] },
    () =>
      studies.read({ trialsCompleted: new Map<string, number>(), workers: [] }, async (storage) => ({
        trialsCompleted: await completedTrials(storage),
        workers: await studyWorkers(storage, nowMs),
      })),
  );
  return {
    paper,
    arena,
    feedLagSeconds: Number.isFinite(lastBarTs) ? (nowMs - (lastBarTs + timeframeMs)) / 1000 : null,
    heartbeatAgeSeconds: heartbeatAgeSeconds(root, nowMs),
    supervisorRunning: lockHolder(root) !== null,
    ...fromStorage,
    problems,
  };
}

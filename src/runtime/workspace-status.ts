// Reads a workspace's state files into one status report; a bad file is reported, never fatal.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { HybridTraderError } from '../core/errors.js';
import {
  ArenaStateSchema,
  arenaLeader,
  arenaPaths,
  isActive,
  type MemberState,
  PromotionCandidateSchema,
  rankMembers,
} from '../lifecycle/arena/index.js';
import { DEPLOYMENT_STATE_FILE, DeploymentStateSchema } from '../lifecycle/deployer/index.js';
import { PaperStateSchema, paperPaths } from '../lifecycle/paper/index.js';
import type { GateVerdict, RuleResult } from '../lifecycle/promotion-check.js';
import { readJsonFile } from '../state/index.js';
import {
  HEARTBEAT_PATH,
  HeartbeatSchema,
  heartbeatAgeSeconds,
  type ServiceHealth,
  serviceHealth,
} from './heartbeat.js';
import { lockHolder } from './run-lock.js';

export interface StatusProblem {
  readonly file: string;
  readonly error: string;
}

/** A challenger and the gate's stored verdict on it (null before its first frame). */
export interface ChallengerGate {
  readonly modelId: string;
  readonly status: string;
  readonly hours: number;
  readonly gate: GateVerdict | null;
}

export interface WorkspaceStatus {
  readonly root: string;
  readonly deployed: {
    modelId: string;
    trainingScore: number | null;
    source: string;
    deployedAt: string;
  } | null;
  readonly mode: string | null;
  readonly equity: number | null;
  readonly cash: number | null;
  readonly positions: readonly { symbol: string; quantity: number; value: number }[];
  readonly lastBarTs: string | null;
  readonly arena: {
    members: number;
    queued: number;
    leader: string | null;
    lastBarTs: string | null;
    /** Active challengers in leaderboard order with the gate's verdict of the arena's last frame. */
    challengers: ChallengerGate[];
    /** With gate.test: each challenger's statistical evidence (IR interval, statistic, hours to a decision). */
    evidence: ({ modelId: string } & NonNullable<MemberState['evidence']>)[];
  } | null;
  /** The promotion candidate file: the model and every rule it passed. */
  readonly candidate: {
    modelId: string;
    excessReturnPct: number;
    hours: number;
    rules: RuleResult[];
  } | null;
  /** Seconds since the supervisor's heartbeat (run/heartbeat.json), or null when none was written. */
  readonly heartbeatAgeSeconds: number | null;
  /** pid of the running supervisor (it holds run/supervisor.lock), or null. */
  readonly supervisorPid: number | null;
  /** Each service's health from the heartbeat: running, idle, restarting, failed or stalled. */
  readonly services: readonly ServiceHealth[];
  readonly problems: readonly StatusProblem[];
}

function tryRead<S extends z.ZodType>(path: string, schema: S, problems: StatusProblem[]): z.infer<S> | null {
  try {
    return readJsonFile(path, schema);
  } catch (error) {
    problems.push({ file: path, error: error instanceof HybridTraderError ? error.message : String(error) });
    return null;
  }
}

const iso = (ts: number | null | undefined) =>
  ts === null || ts === undefined ? null : new Date(ts).toISOString();

/** The status of the workspace at `root`, with one entry in `problems` per file that cannot be read. */
export function readWorkspaceStatus(root: string, nowMs: number): WorkspaceStatus {
  const problems: StatusProblem[] = [];
  const deployment = tryRead(join(root, DEPLOYMENT_STATE_FILE), DeploymentStateSchema, problems);
  const paper = tryRead(paperPaths(root).state, PaperStateSchema, problems);
  const arena = tryRead(arenaPaths(root).state, ArenaStateSchema, problems);
  const candidate = tryRead(arenaPaths(root).candidate, PromotionCandidateSchema, problems);
  const active = arena?.models.filter((m) => isActive(m.status)) ?? [];
  const leader = arenaLeader(active);
  const heartbeat = join(root, HEARTBEAT_PATH);
  const beat = tryRead(heartbeat, HeartbeatSchema, problems);
  const supervisorPid = lockHolder(root);
  return {
    root,
    deployed: deployment?.current
      ? {
          modelId: deployment.current.modelId,
          trainingScore: deployment.current.trainingScore,
          source: deployment.current.source,
          deployedAt: deployment.current.deployedAt,
        }
      : null,
    mode: deployment?.mode ?? null,
    equity: paper?.equity ?? null,
    cash: paper?.cash ?? null,
    positions: (paper?.positions ?? [])
      .filter((p) => p.quantity > 0)
      .map((p) => ({ symbol: p.symbol, quantity: p.quantity, value: p.value })),
    lastBarTs: iso(paper?.lastBarTs),
    arena: arena
      ? {
          members: active.length,
          queued: arena.queue.length,
          leader: leader?.modelId ?? null,
          lastBarTs: iso(arena.lastBarTs),
          challengers: rankMembers(active.filter((m) => m.role === 'challenger')).map((m) => ({
            modelId: m.modelId,
            status: m.status,
            hours: m.hours,
            gate: m.gate ?? null,
          })),
          evidence: active.flatMap((m) => (m.evidence ? [{ modelId: m.modelId, ...m.evidence }] : [])),
        }
      : null,
    candidate: candidate
      ? {
          modelId: candidate.modelId,
          excessReturnPct: candidate.excessReturnPct,
          hours: candidate.hours,
          rules: candidate.rules,
        }
      : null,
    heartbeatAgeSeconds: heartbeatAgeSeconds(root, nowMs),
    supervisorPid,
    services: beat ? serviceHealth(beat, nowMs, supervisorPid !== null) : [],
    problems,
  };
}

/** The leaderboard file's text, or null. */
export function readLeaderboard(root: string): string | null {
  const path = arenaPaths(root).leaderboard;
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

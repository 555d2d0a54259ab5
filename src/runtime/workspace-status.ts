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
  PromotionCandidateSchema,
  rankMembers,
} from '../lifecycle/arena/index.js';
import { DEPLOYMENT_STATE_FILE, DeploymentStateSchema } from '../lifecycle/deployer/index.js';
import { PaperStateSchema, paperPaths } from '../lifecycle/paper/index.js';
import { readJsonFile } from '../state/index.js';
import { HEARTBEAT_PATH, HeartbeatSchema, heartbeatAgeSeconds, serviceHealth } from './heartbeat.js';
import { lockHolder } from './run-lock.js';
import type { StatusProblem, WorkspaceStatus } from './workspace-status-schema.js';

export {
  type ChallengerGate,
  ChallengerGateSchema,
  ProblemSchema,
  type StatusProblem,
  type WorkspaceStatus,
  WorkspaceStatusSchema,
} from './workspace-status-schema.js';

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

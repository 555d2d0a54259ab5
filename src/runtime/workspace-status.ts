// Reads a workspace's state files into one status report; a bad file is reported, never fatal.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  arenaLeader,
  arenaPaths,
  isActive,
  PromotionCandidateSchema,
  rankMembers,
} from '../lifecycle/arena/index.js';
import {
  EquityLineSchema,
  type PaperWindowFigure,
  paperFigures,
  paperPaths,
} from '../lifecycle/paper/index.js';
import { readJournal, readJsonFile } from '../state/index.js';
import { HEARTBEAT_PATH, HeartbeatSchema, heartbeatAgeSeconds, serviceHealth } from './heartbeat.js';
import { lockHolder } from './run-lock.js';
import { type InspectOptions, inspectWorkspace } from './workspace-checks.js';
import type { StatusProblem, WorkspaceStatus } from './workspace-status-schema.js';
import { inferTimeframeMs } from './workspace-timeframe.js';

export {
  type ChallengerGate,
  ChallengerGateSchema,
  ProblemSchema,
  type StatusProblem,
  type WorkspaceStatus,
  WorkspaceStatusSchema,
} from './workspace-status-schema.js';

/** The file, or null when absent or unreadable (the inspection reports why). */
function quietRead<S extends z.ZodType>(path: string, schema: S): z.infer<S> | null {
  try {
    return readJsonFile(path, schema);
  } catch {
    return null;
  }
}

const iso = (ts: number | null | undefined) =>
  ts === null || ts === undefined ? null : new Date(ts).toISOString();

/**
 * The status of the workspace at `root` as the next start will find it, with every problem a start would
 * refuse (severity error) or warn about (see inspectWorkspace). `checkModels` also loads the deployed
 * model and checks each arena member's bundle (the CLI's `status`); without it, a model the paper trader
 * recorded as unavailable is still reported (the server, on every request). `config` validates the
 * configuration file too (see workspaceConfigCheck). Read-only.
 */
export function readWorkspaceStatus(
  root: string,
  nowMs: number,
  options: { checkModels?: boolean; config?: InspectOptions['config'] } = {},
): WorkspaceStatus {
  const checkModels = options.checkModels ?? false;
  const inspected = inspectWorkspace(root, { nowMs, checkModels, config: options.config ?? null });
  const problems: StatusProblem[] = [...inspected.problems];
  const { deployment, paper, arena } = inspected;
  if (!checkModels && paper?.model && paper.modelError)
    problems.push({
      file: paperPaths(root).state,
      code: 'MODEL_UNAVAILABLE',
      error: `the deployed model ${paper.model.modelId} cannot be loaded: ${paper.modelError.message}; the paper trader holds its positions${paper.modelError.sinceBarTs === null ? '' : ` since the bar of ${new Date(paper.modelError.sinceBarTs).toISOString()}`}`,
      severity: 'warning',
    });
  const candidate = quietRead(arenaPaths(root).candidate, PromotionCandidateSchema);
  const active = arena?.models.filter((m) => isActive(m.status)) ?? [];
  const leader = arenaLeader(active);
  const heartbeat = join(root, HEARTBEAT_PATH);
  const beat = quietRead(heartbeat, HeartbeatSchema);
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
    paper: paper ? paperFiguresOf(root, paper.initialEquity, paper.modelId, arena) : null,
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

const labelled = (f: PaperWindowFigure) => ({
  from: iso(f.fromTs)!,
  to: iso(f.toTs)!,
  hours: f.hours,
  returnPct: f.returnPct,
});

/** The paper trader's returns since start and since its model, from its equity journal (null if unreadable). */
function paperFiguresOf(
  root: string,
  initialEquity: number,
  modelId: string | null,
  arena: Parameters<typeof inferTimeframeMs>[0],
): WorkspaceStatus['paper'] {
  let lines: ReturnType<typeof readJournal<typeof EquityLineSchema>>['entries'];
  try {
    lines = readJournal(paperPaths(root).equity, EquityLineSchema).entries;
  } catch {
    return null; // the inspection reports a broken journal
  }
  const timeframeMs = inferTimeframeMs(
    arena,
    lines.slice(0, 50).map((l) => l.ts),
  );
  const f = paperFigures(lines, initialEquity, modelId, timeframeMs);
  if (f === null) return null;
  return {
    sinceStart: labelled(f.sinceStart),
    sinceModel: f.sinceModel ? { modelId: f.sinceModel.modelId, ...labelled(f.sinceModel) } : null,
  };
}

/** The leaderboard file's text, or null. */
export function readLeaderboard(root: string): string | null {
  const path = arenaPaths(root).leaderboard;
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

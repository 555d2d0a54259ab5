// `hybrid-trader status`, `arena status|leaderboard`, `promote --check`: readers of a workspace's state files.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { loadWorkspaceConfig, workspaceConfigCheck } from '../../config/workspace-config.js';
import { ConfigError } from '../../core/errors.js';
import { periodsPerYear } from '../../core/timeframe.js';
import {
  type ArenaLifeAdvice,
  arenaLifeAdvice,
  evidenceLine,
  excessTestDesign,
  resolveArenaConfig,
} from '../../lifecycle/arena/index.js';
import { describeFailures, formatRule } from '../../lifecycle/rule-format.js';
import {
  readLeaderboard,
  readWorkspaceStatus,
  type StatusProblem,
  type WorkspaceStatus,
} from '../../runtime/workspace-status.js';
import { maskStorageUrl } from '../../training/storage/index.js';
import type { WorkerView } from '../../training/workers/worker-registry.js';
import { fmt } from '../format.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { resolveStorage } from '../storage-options.js';
import { registerArenaRun } from './start.js';

/** The leader and, when it is a judged challenger, the gate's verdict on it. */
function leaderText(arena: NonNullable<WorkspaceStatus['arena']>): string {
  const leader = arena.leader;
  if (leader === null) return 'n/a';
  const gate = arena.challengers.find((c) => c.modelId === leader)?.gate;
  return gate ? `${leader} (${describeFailures(gate.rules)})` : leader;
}

/** `promote --check`: the candidate and every rule it passed, or why no challenger qualifies. */
export function renderPromotionCheck(s: WorkspaceStatus): string {
  const lines: string[] = [];
  if (s.candidate) {
    lines.push(
      `candidate ${s.candidate.modelId}: +${s.candidate.excessReturnPct.toFixed(2)} pp over the paper trader in ${s.candidate.hours} h; the deployer decides on its next cycle`,
    );
    for (const r of s.candidate.rules) lines.push(`  ${r.passed ? 'passed' : 'FAILED'}  ${formatRule(r)}`);
  } else {
    lines.push('no promotion candidate');
    for (const c of s.arena?.challengers ?? [])
      lines.push(
        `  ${c.modelId} (${c.status}, ${c.hours} h): ${c.gate ? describeFailures(c.gate.rules) : 'not judged yet'}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

/** The arena's timeframe is the workspace market's; the advice is given for hourly bars (the product's). */
const HOUR_MS = 3_600_000;

/**
 * What gate.targetIr recommends (null without it). A configuration that cannot be read is already one of
 * the workspace's problems (the checks read it), so it is not reported twice.
 */
function arenaLifeOf(root: string, problems: readonly StatusProblem[]): ArenaLifeAdvice | null {
  if (problems.some((p) => p.code?.startsWith('CONFIG_') === true)) return null;
  const config = resolveArenaConfig(loadWorkspaceConfig(root).arena);
  return arenaLifeAdvice(excessTestDesign(config, HOUR_MS, periodsPerYear(HOUR_MS)), config.gate.targetIr);
}

/** The advice's lines for `promote --check`. */
function renderArenaLife(a: ArenaLifeAdvice | null): string {
  if (a === null) return '';
  const lines = [
    `arena life for gate.targetIr ${a.targetIr}: ${a.recommendedHours} h recommended (80 % power); the test's horizon is ${a.configuredHours} h (power ${(a.powerAtConfigured * 100).toFixed(0)} %)`,
  ];
  if (a.warning) lines.push(`WARNING: ${a.warning}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The `worker` processes recorded in the studies of the workspace's storage (`--storage`, else its
 * configuration). A storage that cannot be read is a problem; a SQLite file that does not exist has none.
 */
async function readStudyWorkers(
  root: string,
  storageFlag: string | undefined,
  problems: StatusProblem[],
): Promise<WorkerView[]> {
  let url = storageFlag ?? 'sqlite:///studies.db';
  try {
    url = resolveStorage({ storage: storageFlag }, loadWorkspaceConfig(root).storage).storage;
  } catch {
    return []; // the configuration's problem is listed already, once (workspaceConfigCheck)
  }
  try {
    const { openStudyStorageIfExists } = await import('../../training/storage/index.js');
    const { readAllWorkers } = await import('../../training/workers/worker-registry.js');
    // status answers quickly: an unreachable server is reported, not waited for
    const storage = await openStudyStorageIfExists(url, { baseDir: root, retryForMs: 3_000 });
    if (storage === null) return [];
    try {
      return await readAllWorkers(storage, Date.now());
    } finally {
      await storage.close();
    }
  } catch (error) {
    problems.push({
      file: maskStorageUrl(url),
      error: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
}

/** One line per worker: where it runs, what it did, when it last said it was alive. */
function workerLines(workers: readonly WorkerView[]): string[] {
  return workers.map(
    (w) =>
      `worker      ${w.study}/${w.id} ${w.status.toUpperCase()} on ${w.host} pid ${w.pid} (${w.kind}): ${w.trialsDone} trial(s) (${w.complete} complete, ${w.pruned} pruned, ${w.failed} failed)${w.running.length > 0 ? `, running ${w.running.join(', ')}` : ''}, last heartbeat ${ago(w.lastSeenAgeS)}`,
  );
}

/** An age in whole seconds, never negative (never "-0 s ago", whatever clock or rounding gave it). */
export function ago(seconds: number): string {
  return `${Math.max(0, Math.round(seconds))} s ago`;
}

const minute = (iso: string) => iso.replace(/:\d\d\.\d{3}Z$/, 'Z');
const signedPct = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)} %`;

/** The paper trader's return since start and since its model, each with its window. */
function paperReturnText(p: WorkspaceStatus['paper']): string {
  if (p === null) return 'n/a (no bar traded yet)';
  const w = (f: { from: string; to: string; hours: number }) =>
    `${minute(f.from)}..${minute(f.to)}, ${f.hours} h`;
  const start = `${signedPct(p.sinceStart.returnPct)} since start (${w(p.sinceStart)})`;
  return p.sinceModel
    ? `${start}; ${signedPct(p.sinceModel.returnPct)} since ${p.sinceModel.modelId} took over (${w(p.sinceModel)})`
    : start;
}

function renderStatus(s: WorkspaceStatus, workers: readonly WorkerView[] = []): string {
  const lines = [
    `workspace   ${s.root}`,
    `mode        ${s.mode ?? 'n/a'}`,
    `deployed    ${s.deployed ? `${s.deployed.modelId} (training score ${fmt(s.deployed.trainingScore, 4)}, ${s.deployed.source}, since ${s.deployed.deployedAt})` : 'nothing yet'}`,
    `equity      ${fmt(s.equity)} (cash ${fmt(s.cash)})`,
    `return      ${paperReturnText(s.paper)}`,
    `positions   ${s.positions.length === 0 ? 'none' : s.positions.map((p) => `${p.symbol} ${p.quantity.toPrecision(6)} (${p.value.toFixed(2)})`).join(', ')}`,
    `last bar    ${s.lastBarTs ?? 'none'}`,
    `arena       ${s.arena ? `${s.arena.members} members, ${s.arena.queued} queued, leader ${leaderText(s.arena)}` : 'n/a'}`,
    `candidate   ${s.candidate ? `${s.candidate.modelId}: +${s.candidate.excessReturnPct.toFixed(2)} pp over the paper trader in ${s.candidate.hours} h (${s.candidate.rules.map(formatRule).join(', ')})` : 'none'}`,
    `heartbeat   ${s.heartbeatAgeSeconds === null ? 'no supervisor heartbeat' : ago(s.heartbeatAgeSeconds)}${s.supervisorPid === null ? ' (no supervisor running)' : ` (supervisor pid ${s.supervisorPid})`}`,
  ];
  for (const h of s.services)
    lines.push(
      `service     ${h.service.padEnd(8)} ${h.state.toUpperCase().padEnd(10)} last bar ${h.lastBarTs === null ? 'none' : new Date(h.lastBarTs).toISOString()}, ${ago(h.ageSeconds)}${h.restarts > 0 ? `, ${h.restarts} restart(s)` : ''}${h.lastError ? `, last error: ${h.lastError}` : ''}`,
    );
  for (const e of s.arena?.evidence ?? []) lines.push(`evidence    ${e.modelId}: ${evidenceLine(e)}`);
  lines.push(...workerLines(workers));
  for (const p of s.problems)
    lines.push(
      `${p.severity === 'warning' ? 'WARNING ' : 'PROBLEM '}    ${p.code ? `[${p.code}] ` : ''}${p.error}`,
    );
  if (s.problems.some((p) => p.severity === 'error'))
    lines.push('            (a start refuses this workspace until the problems above are resolved)');
  return `${lines.join('\n')}\n`;
}

/**
 * The workspace's status with every check a start runs (read-only), the deployed model loaded too. A root
 * that is not a folder is a ConfigError (exit 2): an empty status would look like a fresh workspace.
 */
function readStatusOf(rootFlag: string | undefined): WorkspaceStatus {
  const root = workspaceRoot(rootFlag);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new ConfigError('WORKSPACE_MISSING', `workspace root ${root} is not a folder`, { root });
  return readWorkspaceStatus(root, Date.now(), { checkModels: true, config: workspaceConfigCheck(root) });
}

/** 0 without problems; 2 when the configuration is the problem; 1 for any other problem or warning. */
function statusExitCode(s: WorkspaceStatus): number {
  if (s.problems.length === 0) return 0;
  return s.problems.some((p) => p.code?.startsWith('CONFIG_') === true) ? 2 : 1;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      "what is deployed, equity and positions, the arena, the candidate, the study's workers; problems with state files",
    )
    .option('--root <dir>', ROOT_HELP)
    .option(
      '--storage <url>',
      'study storage whose workers are shown (default: storage.url of hybrid.config.json, else sqlite:///studies.db)',
    )
    .option('--json', 'print JSON')
    .action(async (flags: { root?: string; storage?: string; json?: boolean }) => {
      const read = readStatusOf(flags.root);
      const problems = [...read.problems];
      const workers = await readStudyWorkers(read.root, flags.storage, problems);
      const status = { ...read, problems };
      process.stdout.write(
        flags.json ? `${JSON.stringify({ ...status, workers }, null, 2)}\n` : renderStatus(status, workers),
      );
      // A readable status with broken files still exits non-zero, so scripts notice.
      process.exitCode = statusExitCode(status);
    });

  const arena = program.command('arena').description('the arena: status, leaderboard, or run it alone');
  registerArenaRun(arena);
  arena
    .command('status')
    .description('members, queue, leader and candidate')
    .option('--root <dir>', ROOT_HELP)
    .option('--json', 'print JSON')
    .action((flags: { root?: string; json?: boolean }) => {
      const s = readStatusOf(flags.root);
      const out = { arena: s.arena, candidate: s.candidate, problems: s.problems };
      // the members' figures with their windows: the leaderboard the arena wrote at its last bar
      const board = readLeaderboard(s.root);
      process.stdout.write(
        flags.json ? `${JSON.stringify(out, null, 2)}\n` : `${renderStatus(s)}${board ? `\n${board}` : ''}`,
      );
      process.exitCode = statusExitCode(s);
    });
  arena
    .command('leaderboard')
    .description('print arena_state/leaderboard.txt')
    .option('--root <dir>', ROOT_HELP)
    .action((flags: { root?: string }) => {
      const text = readLeaderboard(workspaceRoot(flags.root));
      if (text === null) {
        process.stderr.write('no leaderboard yet (the arena has not run in this workspace)\n');
        process.exitCode = 1;
      } else process.stdout.write(text);
    });

  program
    .command('promote')
    .description(
      "promotion: --check shows the current candidate and the rules it passed, or each challenger's failed rules",
    )
    .option('--check', 'show the candidate without promoting (the only form: see below)')
    .option('--root <dir>', ROOT_HELP)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      "\nPromotion itself is the deployer's: it promotes the candidate on its next cycle. To promote an arena model by hand: POST /api/control/promote (serve with HYBRID_TRADER_API_TOKEN, docs/operations.md).",
    )
    .action((flags: { check?: boolean; root?: string; json?: boolean }) => {
      if (!flags.check)
        throw new ConfigError(
          'PROMOTE_NEEDS_CHECK',
          'promote only checks: run `hybrid-trader promote --check` to see the candidate and the rules it passed; the deployer promotes it on its next cycle, and POST /api/control/promote (with the API token) promotes an arena model by hand',
        );
      const root = workspaceRoot(flags.root);
      const s = readStatusOf(flags.root);
      const arenaLife = arenaLifeOf(root, s.problems);
      const out = {
        candidate: s.candidate,
        challengers: s.arena?.challengers ?? [],
        arenaLife,
        problems: s.problems,
      };
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(out, null, 2)}\n`
          : renderPromotionCheck(s) + renderArenaLife(arenaLife),
      );
      process.exitCode = statusExitCode(s);
    });
}

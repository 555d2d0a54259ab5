// Runs the built CLI as a child process for end-to-end tests.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI = `${ROOT}dist/src/cli/main.js`;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hybrid-trader ...args` and returns its exit status and output. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Trains a small study into `root` (1,200 builtin bars, 2 folds of 100): the fixture of most e2e tests. */
export function trainSmallStudy(
  root: string,
  o: { study: string; trials: number; kind: string; seed: number },
): CliResult {
  return runCli([
    'train',
    '--study',
    o.study,
    '--trials',
    String(o.trials),
    '--kind',
    o.kind,
    '--data',
    `builtin?seed=${o.seed}&bars=1200`,
    '--validation-bars',
    '100',
    '--folds',
    '2',
    '--root',
    root,
  ]);
}

// Runs the built CLI without blocking the event loop, so a fake exchange in the same process can answer it.
import { spawn } from 'node:child_process';
import { CLI, type CliResult, ROOT } from '../cli.js';

export interface RunningCli {
  /** Settles when the process exits. */
  readonly done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `hybrid-trader ...args`; `done` resolves with its status, signal and output. */
export function startCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { done, kill: (signal) => void child.kill(signal) };
}

/** Runs `hybrid-trader ...args` to the end. */
export function runCliAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  return startCli(args, options).done;
}

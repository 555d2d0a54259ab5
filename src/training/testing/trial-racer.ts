// Child processes that add trials to one study at once, for the tests of gapless trial numbers across processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * test/optuna-interop/trial-worker.mjs: our storage (the compiled module from dist/, built by the global
 * setup) adding trials; arguments `<storage url or path> <study> <trials> <go file>`.
 */
export const TRIAL_WORKER = fileURLToPath(
  new URL('../../../test/optuna-interop/trial-worker.mjs', import.meta.url),
);

export interface RacerResult {
  /** The trial numbers the process got, from its last output line. */
  readonly numbers: number[];
  readonly stderr: string;
  readonly code: number | null;
}

export interface Racer {
  /** Settles once the process printed "ready" (or ended). */
  readonly ready: Promise<void>;
  readonly done: Promise<RacerResult>;
}

/** Starts a racer: a process that prints "ready", waits for its go file, and ends with a JSON line {"numbers": [...]}. */
export function startRacer(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Racer {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<RacerResult>((resolve) => {
    child.on('close', (code) => {
      markReady();
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const numbers = last.startsWith('{') ? (JSON.parse(last) as { numbers: number[] }).numbers : [];
      resolve({ numbers, stderr, code });
    });
  });
  return { ready, done };
}

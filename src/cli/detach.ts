// `--detach`: runs this very command in the background and waits until its frame loop is up (the first
// frame applied, or waiting for the next live bar) or it has failed, and says which.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameHook } from '../runtime/frame-loop.js';

/** Set in the background process: it reports to the waiting command through the IPC channel. */
const DETACHED_ENV = 'HYBRID_TRADER_DETACHED';

/** What the background process reports once: its first frame applied, or the live feed waiting for a bar. */
type ReadyMessage = { readonly ready: 'frame'; readonly ts: number } | { readonly ready: 'waiting' };

/**
 * In the background process of `--detach`: a frame hook that tells the waiting command, once, that the loop
 * is up, then lets it go. Null in any other process.
 */
export function detachedReadyHook(): FrameHook | null {
  const send = process.send?.bind(process);
  if (process.env[DETACHED_ENV] !== '1' || send === undefined) return null;
  let told = false;
  const tell = (message: ReadyMessage) => {
    if (told) return;
    told = true;
    send(message, () => process.disconnect());
  };
  return {
    afterFrame: (frame) => tell({ ready: 'frame', ts: frame.ts }),
    waiting: () => tell({ ready: 'waiting' }),
  };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The last `error [...]` line the background process wrote to its log after `offset`, if any. */
function lastErrorLine(log: string, offset: number): string | null {
  let text = '';
  try {
    text = readFileSync(log).subarray(offset).toString('utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').filter((l) => /^error \[[A-Z_]+\]/.test(l.trim()));
  return lines.at(-1)?.trim() ?? null;
}

/**
 * Re-runs this command in the background (without --detach), its output appended to logs/supervisor.log,
 * and waits: once its loop has applied its first frame (or a live feed waits for the next bar) it prints
 * "started supervisor PID ..." and returns; if it exits first, it prints why (its error line) and sets the
 * exit code to the background process's (a failed start is never reported as started).
 */
export async function runDetached(root: string): Promise<void> {
  mkdirSync(join(root, 'logs'), { recursive: true });
  const log = join(root, 'logs', 'supervisor.log');
  const offset = sizeOf(log);
  const out = openSync(log, 'a');
  const args = process.argv.slice(1).filter((a) => a !== '--detach');
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', out, out, 'ipc'],
    env: { ...process.env, [DETACHED_ENV]: '1' },
  });
  closeSync(out);
  const outcome = await new Promise<
    { kind: 'ready'; message: ReadyMessage } | { kind: 'exit'; code: number | null }
  >((resolve) => {
    child.once('message', (message) => resolve({ kind: 'ready', message: message as ReadyMessage }));
    child.once('exit', (code) => resolve({ kind: 'exit', code }));
  });
  const stop = `stop with: hybrid-trader stop --root ${root}`;
  if (outcome.kind === 'ready') {
    if (child.connected) child.disconnect();
    child.unref();
    const state =
      outcome.message.ready === 'frame'
        ? `applied its first frame (${new Date(outcome.message.ts).toISOString()})`
        : 'is up, waiting for the next bar close';
    process.stdout.write(
      `started supervisor ${child.pid} for ${root}: ${state} (logs/supervisor.log); ${stop}\n`,
    );
    return;
  }
  if (outcome.code === 0) {
    process.stdout.write(
      `supervisor ${child.pid} for ${root} ran and finished without a frame to apply (logs/supervisor.log)\n`,
    );
    return;
  }
  const why = lastErrorLine(log, offset) ?? `exit code ${outcome.code ?? 'none (killed)'}`;
  process.stderr.write(`supervisor ${child.pid} for ${root} failed before its first frame: ${why}\n`);
  process.exitCode = outcome.code ?? 1;
}

// A tiny JSON-lines file logger (pino's line shape) writing logs/<name>_<YYYY-MM-DD>.log, dated by bar time.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceLogger } from './contracts.js';

/** pino's numeric levels, so pino tooling can read the files. */
const LEVELS = { info: 30, warn: 40, error: 50 } as const;

/** Log file base names of the lifecycle services (DESIGN.md). */
export const PAPER_LOG_NAME = 'paper_trading_auto';
export const ARENA_LOG_NAME = 'arena_runner';
export const DEPLOYER_LOG_NAME = 'auto_deployer';

const DAY_MS = 86_400_000;
/** A buffered logger writes its lines once they hold this many characters, whatever its owner does. */
const MAX_BUFFERED_CHARS = 1 << 20;

export interface FileLoggerOptions {
  /** Workspace root: files go to `<root>/logs/`. */
  readonly root: string;
  /** File base name, e.g. `paper_trading_auto`. */
  readonly name: string;
  /** Value of every line's `service` field. */
  readonly service: string;
  /** Injected clock for each line's `time` (epoch ms), and the date of lines logged before any bar. */
  readonly now: () => number;
  /**
   * Keep lines in memory until `flush()` (default false: each line is appended at once). The lifecycle
   * flushes when it commits, so in a replay a line costs no system call, and a line lands with the state
   * of the frame it describes. Lines still waiting when the process exits are written then.
   */
  readonly buffered?: boolean;
}

export interface FileLogger extends ServiceLogger {
  /** Appends the buffered lines to their files, one write per file (nothing to do when unbuffered). */
  flush(): void;
}

/**
 * A ServiceLogger appending one JSON object per line: `{level, time, service, msg, ...fields}`. The file's
 * date is the UTC date of the bar being processed, never the wall clock: a line whose fields carry a
 * numeric `barTs` is dated by it, and later lines without one keep that date; lines before any `barTs` are
 * dated by `now()`. A field named like a reserved key (level, time, service, msg) is written as `field_<k>`.
 * Appends are synchronous and not fsynced (logs are observability, not state).
 */
export function createFileLogger(options: FileLoggerOptions): FileLogger {
  const dir = join(options.root, 'logs');
  let dirReady = false;
  let dateTs: number | null = null;
  // the file of the last line's day: most lines go to the same file as the one before
  let day = Number.NaN;
  let file = '';
  const pending = new Map<string, string[]>();
  let pendingChars = 0;

  const append = (path: string, text: string): void => {
    if (!dirReady) {
      mkdirSync(dir, { recursive: true });
      dirReady = true;
    }
    appendFileSync(path, text);
  };

  const flush = (): void => {
    if (pending.size === 0) return;
    exitFlush.delete(flush);
    // taken out before writing: after a failed write, the exit flush must not write the same lines again
    const files = [...pending];
    pending.clear();
    pendingChars = 0;
    for (const [path, lines] of files) append(path, lines.join(''));
  };

  const write = (level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}): void => {
    const barTs = fields['barTs'];
    if (typeof barTs === 'number' && Number.isFinite(barTs)) dateTs = barTs;
    const time = options.now();
    const line: Record<string, unknown> = { level: LEVELS[level], time, service: options.service, msg };
    for (const [key, value] of Object.entries(fields)) line[key in line ? `field_${key}` : key] = value;
    const lineDay = Math.floor((dateTs ?? time) / DAY_MS);
    if (lineDay !== day) {
      day = lineDay;
      file = join(dir, `${options.name}_${new Date(lineDay * DAY_MS).toISOString().slice(0, 10)}.log`);
    }
    const text = `${JSON.stringify(line)}\n`;
    if (!options.buffered) {
      append(file, text);
      return;
    }
    if (pendingChars === 0) watchExit(flush);
    const lines = pending.get(file);
    if (lines) lines.push(text);
    else pending.set(file, [text]);
    pendingChars += text.length;
    if (pendingChars >= MAX_BUFFERED_CHARS) flush();
  };

  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    flush,
  };
}

/**
 * Flushes of buffered loggers holding lines, for `flushFileLoggers` and the process's exit (an error thrown
 * through a replay, a lifecycle dropped after a failed frame). A logger leaves the set as soon as it has
 * nothing to write, so dropped loggers are not kept alive.
 */
const exitFlush = new Set<() => void>();
let exitListening = false;

function watchExit(flush: () => void): void {
  exitFlush.add(flush);
  if (exitListening) return;
  exitListening = true;
  process.on('exit', () => {
    try {
      flushFileLoggers();
    } catch {
      // the process is ending anyway; the error that ends it has been reported
    }
  });
}

/**
 * Writes the lines every buffered logger of the process still holds (the process's exit does it too).
 * Each logger's lines are taken before they are written: one that fails is not written twice; its error is
 * thrown after the others are written.
 */
export function flushFileLoggers(): void {
  let failure: unknown = null;
  for (const flush of [...exitFlush]) {
    try {
      flush();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

// A tiny JSON-lines file logger (pino's line shape) writing logs/<name>_<YYYY-MM-DD>.log, dated by bar time.
import { join } from 'node:path';
import { directStateStore, type StateStore } from '../state/index.js';
import type { ServiceLogger } from './contracts.js';

/** pino's numeric levels, so pino tooling can read the files. */
const LEVELS = { info: 30, warn: 40, error: 50 } as const;

/** Log file base names of the lifecycle services (DESIGN.md). */
export const PAPER_LOG_NAME = 'paper_trading_auto';
export const ARENA_LOG_NAME = 'arena_runner';
export const DEPLOYER_LOG_NAME = 'auto_deployer';

const DAY_MS = 86_400_000;

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
   * Where lines go: by default each is appended at once; with a store (the lifecycle's state transaction),
   * each line is part of the commit of the frame it describes, so it lands with that frame's state, once:
   * a kill loses the lines of uncommitted frames with the frames, and the restart logs them again.
   */
  readonly store?: Pick<StateStore, 'appendLog'>;
}

/**
 * A ServiceLogger appending one JSON object per line: `{level, time, service, msg, ...fields}`. The file's
 * date is the UTC date of the bar being processed, never the wall clock: a line whose fields carry a
 * numeric `barTs` is dated by it, and later lines without one keep that date; lines before any `barTs` are
 * dated by `now()`. A field named like a reserved key (level, time, service, msg) is written as `field_<k>`.
 * Without a store, appends are synchronous and not fsynced (logs are observability, not state), and a line
 * that cannot be written (disk full) goes to stderr instead of failing the caller.
 */
export function createFileLogger(options: FileLoggerOptions): ServiceLogger {
  const dir = join(options.root, 'logs');
  let dateTs: number | null = null;
  // the file of the last line's day: most lines go to the same file as the one before
  let day = Number.NaN;
  let file = '';
  const store = options.store ?? null;

  const appendNow = (path: string, text: string): void => {
    try {
      directStateStore.appendLog(path, text);
    } catch (error) {
      process.stderr.write(`log line not written to ${path} (${(error as Error).message}): ${text}`);
    }
  };

  const write = (level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}): void => {
    const barTs = fields['barTs'];
    if (typeof barTs === 'number' && Number.isFinite(barTs)) dateTs = barTs;
    const time = options.now();
    const line: Record<string, unknown> = { level: LEVELS[level], time, service: options.service, msg };
    // for-in over the caller's literal: the keys of Object.entries in its order, without building its arrays
    for (const key in fields) line[key in line ? `field_${key}` : key] = fields[key];
    const lineDay = Math.floor((dateTs ?? time) / DAY_MS);
    if (lineDay !== day) {
      day = lineDay;
      file = join(dir, `${options.name}_${new Date(lineDay * DAY_MS).toISOString().slice(0, 10)}.log`);
    }
    const text = `${JSON.stringify(line)}\n`;
    if (store === null) appendNow(file, text);
    else store.appendLog(file, text);
  };

  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

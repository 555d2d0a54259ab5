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

export interface FileLoggerOptions {
  /** Workspace root: files go to `<root>/logs/`. */
  readonly root: string;
  /** File base name, e.g. `paper_trading_auto`. */
  readonly name: string;
  /** Value of every line's `service` field. */
  readonly service: string;
  /** Injected clock for each line's `time` (epoch ms), and the date of lines logged before any bar. */
  readonly now: () => number;
}

/**
 * A ServiceLogger appending one JSON object per line: `{level, time, service, msg, ...fields}`. The file's
 * date is the UTC date of the bar being processed, never the wall clock: a line whose fields carry a
 * numeric `barTs` is dated by it, and later lines without one keep that date; lines before any `barTs` are
 * dated by `now()`. A field named like a reserved key (level, time, service, msg) is written as `field_<k>`.
 * Appends are synchronous and not fsynced (logs are observability, not state).
 */
export function createFileLogger(options: FileLoggerOptions): ServiceLogger {
  const dir = join(options.root, 'logs');
  let dirReady = false;
  let dateTs: number | null = null;

  const write = (level: keyof typeof LEVELS, msg: string, fields: Record<string, unknown> = {}): void => {
    const barTs = fields['barTs'];
    if (typeof barTs === 'number' && Number.isFinite(barTs)) dateTs = barTs;
    const time = options.now();
    const line: Record<string, unknown> = { level: LEVELS[level], time, service: options.service, msg };
    for (const [key, value] of Object.entries(fields)) line[key in line ? `field_${key}` : key] = value;
    if (!dirReady) {
      mkdirSync(dir, { recursive: true });
      dirReady = true;
    }
    const day = new Date(dateTs ?? time).toISOString().slice(0, 10);
    appendFileSync(join(dir, `${options.name}_${day}.log`), `${JSON.stringify(line)}\n`);
  };

  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

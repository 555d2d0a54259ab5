import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, type FileLogger, flushFileLoggers } from './logger.js';
import { tempRoot } from './testing/fixtures.js';

const HOUR = 3_600_000;
const DAY1 = Date.UTC(2024, 0, 1);

/** A day and a half of bar lines (two files), with a warning between. */
function logSome(log: FileLogger, from = 0, to = 36): void {
  for (let h = from; h < to; h++) {
    log.info('bar applied', { barTs: DAY1 + h * HOUR, equity: 1000 + h });
    if (h % 10 === 3) log.warn('refused', { reason: 'NaN', nested: { h } });
  }
}

/** Every log file of a workspace with its content. */
function logFiles(root: string): Record<string, string> {
  const dir = join(root, 'logs');
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('createFileLogger', () => {
  it('writes pino-shaped JSON lines to logs/<name>_<date of the bar>.log, never the wall clock date', () => {
    const root = tempRoot();
    const log = createFileLogger({ root, name: 'paper_trading_auto', service: 'paper', now: () => 42 });
    log.info('started'); // no bar yet: dated by now() (1970-01-01)
    log.info('bar applied', { barTs: Date.UTC(2024, 0, 1, 23), equity: 1 });
    log.warn('refused', { reason: 'NaN' }); // same day as the last bar
    log.error('bar applied', { barTs: Date.UTC(2024, 0, 2), msg: 'shadowed' });
    expect(readdirSync(join(root, 'logs')).sort()).toEqual([
      'paper_trading_auto_1970-01-01.log',
      'paper_trading_auto_2024-01-01.log',
      'paper_trading_auto_2024-01-02.log',
    ]);
    const day1 = readFileSync(join(root, 'logs', 'paper_trading_auto_2024-01-01.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(day1).toEqual([
      {
        level: 30,
        time: 42,
        service: 'paper',
        msg: 'bar applied',
        barTs: Date.UTC(2024, 0, 1, 23),
        equity: 1,
      },
      { level: 40, time: 42, service: 'paper', msg: 'refused', reason: 'NaN' },
    ]);
    const day2 = JSON.parse(readFileSync(join(root, 'logs', 'paper_trading_auto_2024-01-02.log'), 'utf8'));
    expect(day2).toMatchObject({ level: 50, msg: 'bar applied', field_msg: 'shadowed' });
  });

  it('buffered: writes nothing until flushed, then the same files, bytes and order as line by line', () => {
    const direct = tempRoot();
    const buffered = tempRoot();
    const options = { name: 'arena_runner', service: 'arena', now: () => 7 };
    logSome(createFileLogger({ root: direct, ...options }));
    const log = createFileLogger({ root: buffered, ...options, buffered: true });
    logSome(log, 0, 20);
    expect(logFiles(buffered)).toEqual({});
    log.flush();
    logSome(log, 20, 36); // lines after a flush go after the flushed ones, in the files they belong to
    log.flush();
    log.flush(); // nothing left: nothing written twice
    expect(Object.keys(logFiles(buffered))).toEqual([
      'arena_runner_2024-01-01.log',
      'arena_runner_2024-01-02.log',
    ]);
    expect(logFiles(buffered)).toEqual(logFiles(direct));
  });

  it('buffered: writes by itself once about a megabyte waits, and when the process flushes its loggers', () => {
    const root = tempRoot();
    const log = createFileLogger({
      root,
      name: 'paper_trading_auto',
      service: 'paper',
      now: () => 0,
      buffered: true,
    });
    const pad = 'x'.repeat(1000);
    let lines = 0;
    while (Object.keys(logFiles(root)).length === 0 && lines < 5000) {
      log.info('bar applied', { barTs: DAY1, pad });
      lines++;
    }
    expect(lines).toBeGreaterThan(900); // ~1 MiB of lines, not every line
    expect(lines).toBeLessThan(1100);
    log.info('after the automatic flush', { barTs: DAY1 });
    // a logger its owner dropped (a lifecycle whose frame failed): its lines land at the process's end
    const dropped = createFileLogger({
      root,
      name: 'auto_deployer',
      service: 'deployer',
      now: () => 0,
      buffered: true,
    });
    dropped.error('deploy failed', { barTs: DAY1 });
    flushFileLoggers();
    const files = logFiles(root);
    expect(files['paper_trading_auto_2024-01-01.log']!.trim().split('\n')).toHaveLength(lines + 1);
    expect(JSON.parse(files['auto_deployer_2024-01-01.log']!)).toMatchObject({
      level: 50,
      msg: 'deploy failed',
    });
    flushFileLoggers(); // nothing left
    expect(logFiles(root)).toEqual(files);
  });
});

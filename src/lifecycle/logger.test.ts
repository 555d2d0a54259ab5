import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceLogger } from '../core/logger.js';
import { StateTransaction } from '../state/index.js';
import { createFileLogger } from './logger.js';
import { tempRoot } from './testing/fixtures.js';

const HOUR = 3_600_000;
const DAY1 = Date.UTC(2024, 0, 1);

/** A day and a half of bar lines (two files), with a warning between. */
function logSome(log: ServiceLogger, from = 0, to = 36): void {
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

  it('with the state transaction: lines land only with a commit, in the same files, bytes and order as line by line', () => {
    const direct = tempRoot();
    const committed = tempRoot();
    const options = { name: 'arena_runner', service: 'arena', now: () => 7 };
    logSome(createFileLogger({ root: direct, ...options }));
    const tx = StateTransaction.open(committed);
    const log = createFileLogger({ root: committed, ...options, store: tx });
    logSome(log, 0, 20);
    expect(logFiles(committed)).toEqual({});
    tx.commit();
    logSome(log, 20, 30);
    tx.discard(); // frames that never committed: their lines are never written (the restart logs them again)
    logSome(log, 20, 36); // lines after a commit go after the committed ones, in the files they belong to
    tx.commit();
    tx.commit(); // nothing left: nothing written twice
    expect(Object.keys(logFiles(committed))).toEqual([
      'arena_runner_2024-01-01.log',
      'arena_runner_2024-01-02.log',
    ]);
    expect(logFiles(committed)).toEqual(logFiles(direct));
  });
});

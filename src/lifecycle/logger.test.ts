import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger } from './logger.js';
import { tempRoot } from './testing/fixtures.js';

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
});

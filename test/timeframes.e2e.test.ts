// Every supported timeframe end to end: generated, checked (timeframe inferred), backtested; a study trained
// and replayed on 15-minute bars; a file whose spacing is not the declared timeframe is refused by name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ht-tf-'));
const MS = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

describe('timeframes end to end', () => {
  it('1m, 5m, 15m, 1h, 4h and 1d: data synth, data check and backtest agree on the bars', () => {
    const dir = tmp();
    for (const [tf, ms] of Object.entries(MS)) {
      const file = join(dir, `A_USDT-${tf}.csv`);
      const synth = runCli([
        'data',
        'synth',
        '--timeframe',
        tf,
        '--bars',
        '600',
        '--symbols',
        'A/USDT,B/USDT',
        '--out',
        file,
      ]);
      expect(synth.status, synth.stderr).toBe(0);
      const check = runCli(['data', 'check', file, '--json', '--root', dir]);
      expect(check.status, check.stdout).toBe(0);
      const { report } = JSON.parse(check.stdout);
      expect(report, tf).toMatchObject({
        timeframe: tf,
        timeframeMs: ms,
        timeframeSource: 'inferred',
        frames: 600,
      });
      const from = new Date(Date.UTC(2024, 0, 1) + 300 * ms).toISOString();
      const bt = runCli([
        'backtest',
        '--data',
        file,
        '--from',
        from,
        '--model',
        'builtin:equal-weight',
        '--json',
        '--root',
        dir,
      ]);
      expect(bt.status, bt.stderr).toBe(0);
      expect(JSON.parse(bt.stdout), tf).toMatchObject({ bars: 300, from });
      expect(bt.stderr, tf).toBe('');
    }
  });

  it('trains and replays a study on 15-minute bars', () => {
    const root = tmp();
    const file = join(root, 'm15.csv');
    expect(
      runCli(['data', 'synth', '--timeframe', '15m', '--bars', '3000', '--seed', '5', '--out', file]).status,
    ).toBe(0);
    const train = runCli([
      'train',
      '--study',
      'q',
      '--trials',
      '3',
      '--kind',
      'momentum',
      '--data',
      file,
      '--validation-bars',
      '200',
      '--folds',
      '2',
      '--root',
      root,
    ]);
    expect(train.status, train.stderr).toBe(0);
    const replay = runCli([
      'replay',
      '--study',
      'q',
      '--data',
      file,
      '--from',
      '2024-01-20T00:00:00Z',
      '--json',
      '--root',
      root,
    ]);
    expect(replay.status, replay.stderr).toBe(0);
    const out = JSON.parse(replay.stdout);
    const one = Array.isArray(out) ? out[0] : (out.results?.[0] ?? out);
    // 2024-01-20 is 1,824 bars of 15 minutes after the first; the replay runs the rest.
    expect(one.bars).toBe(3000 - 1824);
    expect(one.deployments).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a daily file declared hourly, and a 1h and a 1d file of one symbol, by name', () => {
    const dir = tmp();
    const daily = join(dir, 'BTC_USDT-1d.csv');
    const hourly = join(dir, 'BTC_USDT-1h.csv');
    runCli(['data', 'synth', '--timeframe', '1d', '--bars', '50', '--symbols', 'BTC/USDT', '--out', daily]);
    runCli(['data', 'synth', '--timeframe', '1h', '--bars', '50', '--symbols', 'BTC/USDT', '--out', hourly]);
    const declared = runCli(['data', 'check', daily, '--timeframe', '1h', '--root', dir]);
    expect(declared.status).toBe(1);
    expect(declared.stderr).toContain(
      `error [TIMEFRAME_MISMATCH]: ${daily}: BTC/USDT bars are mostly 1d apart, not the declared timeframe 1h; pass the timeframe of the file (--timeframe 1d)`,
    );
    const both = runCli(['data', 'check', hourly, daily, '--root', dir]);
    expect(both.status).toBe(1);
    expect(both.stderr).toContain(`BTC/USDT bars are mostly 1d apart here but 1h apart in ${hourly}`);
  });
});

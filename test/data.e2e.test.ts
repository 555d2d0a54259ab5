import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ht-data-'));

describe('hybrid-trader data (end to end)', () => {
  it('data synth writes a file that data check accepts and backtest reads', () => {
    const file = join(tmp(), 'market.csv');
    const synth = runCli([
      'data',
      'synth',
      '--seed',
      '7',
      '--bars',
      '500',
      '--symbols',
      'AAA/USDT,BBB/USDT',
      '--out',
      file,
    ]);
    expect(synth.status).toBe(0);
    const check = runCli(['data', 'check', file, '--json']);
    expect(check.status).toBe(0);
    const report = JSON.parse(check.stdout);
    expect(report.ok).toBe(true);
    expect(report.report.symbols).toEqual(['AAA/USDT', 'BBB/USDT']);
    expect(report.report.frames).toBe(500);
    expect(report.report.gaps).toEqual([]);
    const bt = runCli(['backtest', '--data', file, '--model', 'builtin:equal-weight', '--json']);
    expect(bt.status).toBe(0);
    expect(JSON.parse(bt.stdout).bars).toBe(500);
  });

  it('data check reports what it normalised in a messy exchange export', () => {
    const r = runCli([
      'data',
      'check',
      join(ROOT, 'test/fixtures/market/cdd-BTCUSDT-1h-messy.csv'),
      '--json',
    ]);
    expect(r.status).toBe(0);
    const { report } = JSON.parse(r.stdout);
    expect(report.duplicatesDropped).toBe(1);
    expect(report.garbageLinesSkipped).toBe(1);
    expect(report.gaps).toHaveLength(1);
    expect(report.gaps[0].missingBars).toBe(2);
    expect(report.timeframe).toBe('1h');
  });

  it('data check refuses a bar with high < low, naming file, line and field (exit 1)', () => {
    const file = join(tmp(), 'bad.csv');
    writeFileSync(
      file,
      'timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,10,11,9,10,1\n2024-01-01T01:00:00Z,10,9,10,10,1\n',
    );
    const text = runCli(['data', 'check', file]);
    expect(text.status).toBe(1);
    expect(text.stderr).toContain(`${file} line 3, field "high"`);
    const json = runCli(['data', 'check', file, '--json']);
    expect(json.status).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out.ok).toBe(false);
    expect(out.error).toMatchObject({ file, line: 3, field: 'high' });
  });

  it('resolves the duplicates of an exchange export only when told to: --on-duplicate or data.onDuplicate', () => {
    const file = join(ROOT, 'test/fixtures/market/cdd-ADAUSDT-1h-overlap.csv');
    const root = tmp();
    const refused = runCli(['data', 'check', file, '--root', root]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('error [DUPLICATE_CONFLICT]');
    expect(refused.stderr).toContain('3 conflicting duplicates');
    expect(refused.stderr).toContain('--on-duplicate first|last');
    const first = runCli(['data', 'check', file, '--root', root, '--on-duplicate', 'first']);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(
      '3 conflicting duplicates (same symbol and time, different values) resolved by --on-duplicate first: 3 rows dropped',
    );
    expect(first.stdout).toContain('largest price difference: high 0.465 %');
    const bad = runCli(['data', 'check', file, '--on-duplicate', 'newest']);
    expect(bad.status).toBe(2);
    writeFileSync(
      join(root, 'hybrid.config.json'),
      JSON.stringify({ schemaVersion: 1, data: { onDuplicate: 'last' } }),
    );
    const fromConfig = runCli(['data', 'check', file, '--root', root, '--json']);
    expect(fromConfig.status).toBe(0);
    expect(JSON.parse(fromConfig.stdout).report.duplicates).toMatchObject({ policy: 'last', conflicts: 3 });
    const flagWins = runCli(['data', 'check', file, '--root', root, '--json', '--on-duplicate', 'refuse']);
    expect(flagWins.status).toBe(1);
    const bt = runCli([
      'backtest',
      '--data',
      file,
      '--root',
      root,
      '--model',
      'builtin:equal-weight',
      '--json',
    ]);
    expect(bt.status).toBe(0);
    expect(JSON.parse(bt.stdout).bars).toBe(20);
    const btRefused = runCli([
      'backtest',
      '--data',
      file,
      '--model',
      'builtin:equal-weight',
      '--root',
      tmp(),
    ]);
    expect(btRefused.status).toBe(1);
    expect(btRefused.stderr).toContain('3 conflicting duplicates');
  });

  it('backtest says on stderr when symbols starting on other dates trim the window asked for', () => {
    const dir = tmp();
    const T = Date.UTC(2020, 0, 1);
    const H = 3_600_000;
    const csv = (from: number, to: number) =>
      [
        'timestamp,open,high,low,close,volume',
        ...Array.from(
          { length: to - from },
          (_, i) => `${T + (from + i) * H},1,2,0.5,${1.5 + ((from + i) % 5) / 10},10`,
        ),
      ].join('\n');
    writeFileSync(join(dir, 'BTC_USDT-1h.csv'), csv(0, 300));
    writeFileSync(join(dir, 'SOL_USDT-1h.csv'), csv(100, 300));
    const files = `${join(dir, 'BTC_USDT-1h.csv')},${join(dir, 'SOL_USDT-1h.csv')}`;
    const bt = runCli(['backtest', '--data', files, '--from', '2020-01-01', '--root', dir, '--json']);
    expect(bt.status).toBe(0);
    expect(JSON.parse(bt.stdout).bars).toBe(200);
    expect(bt.stderr).toContain(
      'warning: --from 2020-01-01T00:00:00.000Z: frames start at 2020-01-05T04:00:00.000Z, where the last symbol to start (SOL/USDT) begins; earlier bars (BTC/USDT from 2020-01-01T00:00:00.000Z) are not used',
    );
    const inside = runCli(['backtest', '--data', files, '--from', '2020-01-06', '--root', dir, '--json']);
    expect(inside.stderr).not.toContain('warning');
    // every command that takes a window says it: features export and train (train --to as well)
    const trimmed =
      'warning: --from 2020-01-01T00:00:00.000Z: frames start at 2020-01-05T04:00:00.000Z, where the last symbol to start (SOL/USDT) begins';
    const exported = runCli([
      'features',
      'export',
      '--data',
      files,
      '--features',
      'ret_1',
      '--from',
      '2020-01-01',
      '--out',
      join(dir, 'obs.npy'),
      '--root',
      dir,
    ]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(trimmed);
    const trained = runCli([
      'train',
      '--study',
      'trim',
      '--trials',
      '1',
      '--kind',
      'momentum',
      '--data',
      files,
      '--from',
      '2020-01-01',
      '--to',
      '2020-02-01',
      '--validation-bars',
      '40',
      '--folds',
      '1',
      '--root',
      dir,
    ]);
    expect(trained.status, trained.stderr).toBe(0);
    expect(trained.stderr).toContain(trimmed);
    expect(trained.stderr).toContain(
      'warning: --to 2020-02-01T00:00:00.000Z: the data ends with the frame at',
    );
  });

  it('data check reports suspicious bars as warnings, and --strict refuses them', () => {
    const dir = tmp();
    const file = join(dir, 'BTC_USDT-1h.csv');
    const T = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 48 }, (_, h) => {
      const close = 100 + Math.sin(h) / 2;
      const open = h === 0 ? close * 3.8 : 100 + Math.sin(h - 1) / 2;
      const high = h === 0 ? open : Math.max(open, close) + 0.1;
      return `${T + h * 3_600_000},${open},${high},${Math.min(open, close) - 0.1},${close},${h === 47 ? 150 : 1000}`;
    });
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const check = runCli(['data', 'check', file, '--root', dir]);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain(
      'suspicious bars: 2 (1 spike, 1 forming; warnings, --strict refuses them)',
    );
    expect(check.stdout).toMatch(
      / {2}spike BTC\/USDT 2024-01-01T00:00:00\.000Z \(.* line 2\): open 380 \(\d+ deviations\), high 380/,
    );
    const strict = runCli(['data', 'check', file, '--root', dir, '--strict', '--json']);
    expect(strict.status).toBe(1);
    expect(JSON.parse(strict.stdout).error).toMatchObject({ code: 'BARS_SUSPICIOUS', line: 2 });
  });

  it('a close of 1e308 is refused by every command that trades on the data, and reported by data check', () => {
    const dir = tmp();
    const file = join(dir, 'BTC_USDT-1h.csv');
    const T = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 400 }, (_, h) => {
      const close = h === 200 ? 1e308 : 100 + Math.sin(h / 9) * 5;
      const open = 100 + Math.sin((h - 1) / 9) * 5;
      return `${T + h * 3_600_000},${open},${Math.max(open, close) + 0.1},${Math.min(open, close) - 0.1},${close},1000`;
    });
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const check = runCli(['data', 'check', file, '--root', dir]);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('1 magnitude');
    for (const argv of [
      ['backtest', '--data', file, '--model', 'builtin:equal-weight', '--json'],
      ['replay', '--data', file, '--study', 'none', '--json'],
      ['train', '--data', file, '--study', 's', '--trials', '1', '--json'],
    ]) {
      const r = runCli([...argv, '--root', dir]);
      expect(r.status, argv[0]).toBe(1);
      expect(`${r.stdout}${r.stderr}`, argv[0]).toContain('BAR_IMPLAUSIBLE');
      expect(`${r.stdout}${r.stderr}`, argv[0]).toContain('line 202, field "high"');
    }
    writeFileSync(
      join(dir, 'hybrid.config.json'),
      JSON.stringify({ schemaVersion: 1, data: { checks: { maxPrice: Number.MAX_VALUE } } }),
    );
    const raised = runCli([
      'backtest',
      '--data',
      file,
      '--model',
      'builtin:equal-weight',
      '--json',
      '--root',
      dir,
    ]);
    expect(raised.status).toBe(0);
  });
});

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
});

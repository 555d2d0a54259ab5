import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ht-backtest-'));

/** One-symbol CSV with known closes. */
function writeCsv(dir: string, closes: number[]): string {
  const rows = closes.map((c, t) => {
    const open = t > 0 ? closes[t - 1]! : c;
    const ts = new Date(Date.UTC(2024, 0, 1) + t * 3_600_000).toISOString();
    return `${ts},BTC/USDT,${open},${Math.max(open, c) * 1.001},${Math.min(open, c) * 0.999},${c},10`;
  });
  const path = join(dir, 'btc.csv');
  writeFileSync(path, `timestamp,symbol,open,high,low,close,volume\n${rows.join('\n')}\n`);
  return path;
}

describe('hybrid-trader backtest (end to end)', () => {
  it('buy-and-hold with cap and reserve off returns ratio / (1 + f) - 1 within 1e-9', () => {
    const closes = Array.from({ length: 300 }, (_, t) => 100 * Math.exp(0.3 * Math.sin(t / 17) + t / 1000));
    const file = writeCsv(tmp(), closes);
    const f = 0.0025;
    const r = runCli([
      'backtest',
      '--data',
      file,
      '--model',
      'builtin:buy-and-hold',
      '--max-weight',
      '1',
      '--cash-reserve',
      '0',
      '--slippage-bps',
      '0',
      '--fee-rate',
      String(f),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const ratio = closes[299]! / closes[0]!;
    expect(Math.abs(out.returnPct / 100 - (ratio / (1 + f) - 1))).toBeLessThan(1e-9);
    expect(out.trades).toBe(1);
    expect(out.bars).toBe(300);
    for (const key of ['returnPct', 'sharpe', 'sortino', 'maxDrawdownPct', 'trades', 'finalEquity', 'bars'])
      expect(out).toHaveProperty(key);
  });

  it('runs on the built-in market by default, honours --symbols, --from/--to and writes --trades', () => {
    const dir = tmp();
    const trades = join(dir, 'trades.jsonl');
    const r = runCli([
      'backtest',
      '--model',
      'builtin:sma-cross?fast=12&slow=48',
      '--symbols',
      'ETH/USDT,BTC/USDT',
      '--from',
      '2024-03-01',
      '--to',
      '2024-04-01',
      '--trades',
      trades,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.symbols).toEqual(['ETH/USDT', 'BTC/USDT']);
    expect(out.from).toBe('2024-03-01T00:00:00.000Z');
    expect(out.to).toBe('2024-03-31T23:00:00.000Z');
    expect(out.bars).toBe(31 * 24);
    const lines = readFileSync(trades, 'utf8').trim().split('\n');
    expect(lines.length).toBe(out.trades);
    expect(JSON.parse(lines[0]!).ts).toBeGreaterThanOrEqual(Date.UTC(2024, 2, 1));
  });

  it('prints a readable table without --json', () => {
    const r = runCli(['backtest', '--model', 'builtin:equal-weight', '--data', 'builtin?bars=500']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^model\s+builtin:equal-weight/m);
    expect(r.stdout).toMatch(/^Sharpe\s+-?\d+\.\d\d$/m);
  });

  it('refuses an unknown model, a bad parameter and a bad flag with exit 2 and the cause', () => {
    const unknown = runCli(['backtest', '--model', 'builtin:nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown model "builtin:nope"; builtin models are builtin:buy-and-hold/);
    const param = runCli(['backtest', '--model', 'builtin:sma-cross?fast=50&slow=10']);
    expect(param.status).toBe(2);
    expect(param.stderr).toMatch(/field "slow": slow must be greater than fast/);
    const flag = runCli(['backtest', '--fee-rate', 'abc']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/--fee-rate must be a number, was "abc"/);
    const window = runCli(['backtest', '--from', '2030-01-01']);
    expect(window.status).toBe(2);
    expect(window.stderr).toMatch(/no bars between 2030-01-01/);
  });
});

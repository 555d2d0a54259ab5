// `data fetch` through the built CLI against the fake exchange: a file data check accepts, resumed without duplicates.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDataCheck } from '../src/cli/commands/data-check.js';
import type { DataReport } from '../src/market/index.js';
import { runCliAsync, startCli } from './fake-exchange/run-cli-async.js';
import { type FakeExchange, startFakeExchange } from './fake-exchange/server.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ht-fetch-'));
const JAN_1 = Date.UTC(2024, 0, 1);
const H = 3_600_000;

let fake: FakeExchange;
let slow: FakeExchange;
beforeAll(async () => {
  fake = await startFakeExchange({ symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'] });
  slow = await startFakeExchange({ symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'], latencyMs: 400 });
});
afterAll(async () => {
  await fake.close();
  await slow.close();
});

const fetchArgs = (server: FakeExchange, out: string, until: string, symbols = 'BTC/USDT,ETH/USDT') => [
  'data',
  'fetch',
  '--exchange',
  'binance',
  '--exchange-api-url',
  server.url,
  '--symbols',
  symbols,
  '--timeframe',
  '1h',
  '--since',
  '2024-01-01',
  '--until',
  until,
  '--out',
  out,
  '--json',
];

/** `data check FILE --json` through the built CLI. */
async function checkCli(file: string) {
  const r = await runCliAsync(['data', 'check', file, '--json']);
  return { status: r.status, out: JSON.parse(r.stdout) };
}

/** The same check in-process (the command's own function): spares a process start where the CLI was shown. */
async function check(file: string) {
  const { output } = await runDataCheck([file], {});
  return { status: output.ok ? 0 : 1, out: output as { ok: boolean; report: DataReport } };
}

const dataRows = (text: string) => text.trimEnd().split('\n').slice(1);

describe('hybrid-trader data fetch (end to end, fake exchange)', () => {
  let oneShot = '';

  it('downloads two months of two symbols in pages into a file data check accepts', async () => {
    const out = join(tmp(), 'one-shot.csv');
    const r = await runCliAsync(fetchArgs(fake, out, '2024-03-01'));
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({
      ok: true,
      created: true,
      rowsBefore: 0,
      rowsWritten: 2 * 1440,
      stopped: false,
    });
    expect(r.stderr).toContain('fetch: 100% (2880/2880 bars)');
    const c = await checkCli(out);
    expect(c.status).toBe(0);
    expect(c.out.report).toMatchObject({
      symbols: ['BTC/USDT', 'ETH/USDT'],
      frames: 1440,
      gaps: [],
      duplicatesDropped: 0,
    });
    expect(c.out.report.firstTs).toBe('2024-01-01T00:00:00.000Z');
    expect(c.out.report.lastTs).toBe('2024-02-29T23:00:00.000Z');
    oneShot = readFileSync(out, 'utf8');
    // the prices are the exchange's, row for row
    const [ts, symbol, open, high, low, close, volume] = dataRows(oneShot)[1]!.split(',');
    const bar = fake.bar(symbol!, Date.parse(ts!), H);
    expect([ts, symbol, +open!, +high!, +low!, +close!, +volume!]).toEqual([
      '2024-01-01T00:00:00.000Z',
      'ETH/USDT',
      bar.open,
      bar.high,
      bar.low,
      bar.close,
      bar.volume,
    ]);
  });

  it('a shorter --until first, then the full range: continued without duplicates, identical to one shot', async () => {
    const out = join(tmp(), 'resumed.csv');
    const first = await runCliAsync(fetchArgs(fake, out, '2024-01-20T05:00'));
    expect(first.status).toBe(0);
    expect((await check(out)).status).toBe(0);
    const second = await runCliAsync(fetchArgs(fake, out, '2024-03-01'));
    expect(second.status).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary.rowsBefore).toBe(2 * (19 * 24 + 5));
    expect(summary.startedAt).toEqual({
      'BTC/USDT': '2024-01-20T05:00:00.000Z',
      'ETH/USDT': '2024-01-20T05:00:00.000Z',
    });
    const text = readFileSync(out, 'utf8');
    expect(new Set(dataRows(text)).size).toBe(dataRows(text).length);
    expect(text).toBe(oneShot);
  });

  it('run again over a complete file: nothing left to fetch, nothing written', async () => {
    const out = join(tmp(), 'complete.csv');
    writeFileSync(out, oneShot);
    const again = await runCliAsync(fetchArgs(fake, out, '2024-03-01'));
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, rowsBefore: 2880, rowsWritten: 0 });
    expect(readFileSync(out, 'utf8')).toBe(oneShot);
  });

  it('killed mid-download (SIGKILL): the partial file passes data check, and the next run completes it exactly', async () => {
    const out = join(tmp(), 'killed.csv');
    const run = startCli(fetchArgs(slow, out, '2024-03-01'));
    // wait until the first window (1000 bars of each symbol) is on disk, then kill hard
    for (let i = 0; i < 400 && !(existsSync(out) && dataRows(readFileSync(out, 'utf8')).length >= 2000); i++)
      await new Promise((r) => setTimeout(r, 25));
    run.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    const partial = readFileSync(out, 'utf8');
    expect(dataRows(partial).length).toBeGreaterThanOrEqual(2000);
    expect(dataRows(partial).length).toBeLessThan(2880);
    expect((await check(out)).status).toBe(0);
    const resumed = await runCliAsync(fetchArgs(fake, out, '2024-03-01'));
    expect(resumed.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(oneShot);
  });

  it('Ctrl-C (SIGINT) finishes the window being written, exits 130 and says how to continue', async () => {
    const out = join(tmp(), 'interrupted.csv');
    const run = startCli(fetchArgs(slow, out, '2024-03-01'));
    for (let i = 0; i < 400 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 25));
    run.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.status).toBe(130);
    expect(stopped.stderr).toContain('interrupted: run the same command again to continue');
    expect(JSON.parse(stopped.stdout).stopped).toBe(true);
    expect((await check(out)).status).toBe(0);
    expect((await runCliAsync(fetchArgs(fake, out, '2024-03-01'))).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(oneShot);
  });

  it('a torn last line left by a crash is cut off before continuing', async () => {
    const out = join(tmp(), 'torn.csv');
    const rows = dataRows(oneShot);
    writeFileSync(
      out,
      `${oneShot.split('\n')[0]}\n${rows.slice(0, 10).join('\n')}\n${rows[10]!.slice(0, 30)}`,
    );
    const r = await runCliAsync(fetchArgs(fake, out, '2024-03-01'));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).repairedBytes).toBe(30);
    expect(readFileSync(out, 'utf8')).toBe(oneShot);
  });

  it('a price of 0 from the exchange is never written: the bar is left out, named, and data check reports the gap', async () => {
    const out = join(tmp(), 'zero.csv');
    fake.zeroPrice('ETH/USDT', JAN_1 + 5 * H);
    const r = await runCliAsync(fetchArgs(fake, out, '2024-01-02'));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).invalidBars).toEqual([
      { symbol: 'ETH/USDT', ts: '2024-01-01T05:00:00.000Z', problem: 'low must be > 0, was 0' },
    ]);
    expect(r.stderr).toContain(
      'left out an invalid bar: ETH/USDT at 2024-01-01T05:00:00.000Z: low must be > 0, was 0',
    );
    const c = await check(out);
    expect(c.status).toBe(0);
    expect(c.out.report.gaps).toEqual([
      {
        symbol: 'ETH/USDT',
        from: '2024-01-01T05:00:00.000Z',
        to: '2024-01-01T05:00:00.000Z',
        missingBars: 1,
      },
    ]);
    expect(c.out.report.frames).toBe(23);
  });

  it('refuses an --out that is not a data fetch CSV, leaving it untouched', async () => {
    const other = join(tmp(), 'other.csv');
    writeFileSync(other, 'date,price\n2024-01-01,1\n');
    const r = await runCliAsync(fetchArgs(fake, other, '2024-01-02'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error [OUTPUT_NOT_RESUMABLE]');
    expect(readFileSync(other, 'utf8')).toBe('date,price\n2024-01-01,1\n');
  });

  it('refuses a symbol the exchange does not list (exit 2)', async () => {
    const bad = await runCliAsync(fetchArgs(fake, join(tmp(), 'x.csv'), '2024-01-02', 'BTC/USDT,DOGE/USDT'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('error [SYMBOL_UNKNOWN_ON_EXCHANGE]: binance does not list DOGE/USDT');
  });
});

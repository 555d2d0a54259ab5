import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import { DataCheckOutputSchema, registerDataCheck, renderDataCheck, runDataCheck } from './data-check.js';

const FIXTURES = 'test/fixtures/market';
const MESSY = `${FIXTURES}/cdd-BTCUSDT-1h-messy.csv`;

const dir = mkdtempSync(join(tmpdir(), 'data-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function badFile(): string {
  const path = join(dir, 'btc.csv');
  writeFileSync(
    path,
    'timestamp,open,high,low,close,volume\n1704067200,10,11,9,10,1\n1704070800,10,9,10,10,1\n',
  );
  return path;
}

describe('runDataCheck', () => {
  it('returns ok: true with the validated report', async () => {
    const { output, error } = await runDataCheck([MESSY, `${FIXTURES}/ETH_USDT-1h.csv`], {
      symbols: ['ETH/USDT', 'BTC/USDT'],
    });
    expect(error).toBeUndefined();
    expect(DataCheckOutputSchema.parse(output)).toEqual(output);
    expect(output.ok && output.report).toMatchObject({
      symbols: ['ETH/USDT', 'BTC/USDT'],
      frames: 6,
      duplicatesDropped: 1,
    });
  });

  it('turns a refusal into ok: false naming code, file, line and field, and keeps the error for the exit code', async () => {
    const path = badFile();
    const { output, error } = await runDataCheck([path], {});
    expect(error).toBeInstanceOf(DataError);
    expect(output).toEqual({
      ok: false,
      error: {
        code: 'BAR_INVALID',
        message: `${path} line 3, field "high": high must be >= low, was high 9 < low 10`,
        file: path,
        line: 3,
        field: 'high',
      },
    });
  });

  it('reports option errors with null file, line and field', async () => {
    const { output } = await runDataCheck([MESSY], { timeframe: 'hourly' });
    expect(output).toMatchObject({
      ok: false,
      error: { code: 'TIMEFRAME_INVALID', file: null, line: null, field: null },
    });
  });
});

describe('renderDataCheck', () => {
  it('prints only JSON with --json, the readable report otherwise, nothing on a refusal without --json', async () => {
    const ok = await runDataCheck([MESSY], {});
    expect(JSON.parse(await renderDataCheck(ok, true))).toEqual(ok.output);
    expect(await renderDataCheck(ok, false)).toMatch(
      /^ok: 1 file, 7 rows, 1 symbol, 6 frames of 1h \(inferred\)\n/,
    );
    const refused = await runDataCheck([badFile()], {});
    expect(JSON.parse(await renderDataCheck(refused, true))).toMatchObject({
      ok: false,
      error: { code: 'BAR_INVALID' },
    });
    expect(await renderDataCheck(refused, false)).toBe('');
  });
});

describe('registerDataCheck', () => {
  it('parses the flags into the loader options and rethrows a refusal', async () => {
    const data = new Command('data').exitOverride();
    registerDataCheck(data);
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
    try {
      await data.parseAsync(['check', MESSY, '--symbols', 'BTC/USDT', '--timeframe', '1h', '--json'], {
        from: 'user',
      });
      await expect(data.parseAsync(['check', badFile(), '--json'], { from: 'user' })).rejects.toThrow(
        DataError,
      );
    } finally {
      process.stdout.write = write;
    }
    const [first, second] = written.map((w) => JSON.parse(w));
    expect(first).toMatchObject({ ok: true, report: { symbols: ['BTC/USDT'], timeframeSource: 'option' } });
    expect(second).toMatchObject({ ok: false, error: { code: 'BAR_INVALID', line: 3, field: 'high' } });
  });
});

import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMarketFiles, readMarketFile } from './load-market.js';
import type { MarketData } from './market-data.js';

const EXPORT = 'test/fixtures/market/cdd-ADAUSDT-1h-overlap.csv';

/** Every number of the frames as raw bytes, so equality is bit for bit (NaN payloads, -0 included). */
function bits(data: MarketData): string[] {
  const n = data.length * data.symbols.length;
  return [
    data.ts.subarray(0, data.length),
    data.open.subarray(0, n),
    data.close.subarray(0, n),
    data.high.subarray(0, n),
    data.low.subarray(0, n),
    data.volume.subarray(0, n),
  ].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'));
}

describe('the binary cache of parsed files', () => {
  it('gives the same frames bit for bit as the CSV, and a changed source invalidates it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ht-cache-'));
    const file = join(dir, 'ADA_USDT-1h.csv');
    writeFileSync(file, readFileSync(EXPORT));
    const cache = { cacheDir: join(dir, 'cache'), cacheMinBytes: 0 };
    const options = { onDuplicate: 'first' as const, ...cache };
    const plain = loadMarketFiles([file], { onDuplicate: 'first' });
    expect(readMarketFile(file, undefined, cache).cache).toBe('written');
    expect(readMarketFile(file, undefined, cache).cache).toBe('hit');
    const cached = loadMarketFiles([file], options);
    expect(bits(cached.data)).toEqual(bits(plain.data));
    expect(cached.report).toEqual(plain.report);
    // One digit changed: the cache is not used, and is rebuilt from the new bytes.
    writeFileSync(file, readFileSync(EXPORT, 'utf8').replace('1.1958,119000.0', '1.1959,119000.0'));
    expect(readMarketFile(file, undefined, cache).cache).toBe('written');
    const changed = loadMarketFiles([file], options);
    expect(changed.data.close[19]).toBe(1.1959);
    expect(readdirSync(cache.cacheDir)).toHaveLength(1);
  });

  it('still uses the cache when only the time stamps of the source changed (same bytes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ht-cache-'));
    const file = join(dir, 'ADA_USDT-1h.csv');
    writeFileSync(file, readFileSync(EXPORT));
    const cache = { cacheDir: join(dir, 'cache'), cacheMinBytes: 0 };
    expect(readMarketFile(file, undefined, cache).cache).toBe('written');
    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(readMarketFile(file, undefined, cache).cache).toBe('hit');
    expect(readMarketFile(file, undefined, cache).cache).toBe('hit');
  });

  it('rebuilds a cache file that is damaged instead of trusting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ht-cache-'));
    const file = join(dir, 'ADA_USDT-1h.csv');
    writeFileSync(file, readFileSync(EXPORT));
    const cache = { cacheDir: join(dir, 'cache'), cacheMinBytes: 0 };
    readMarketFile(file, undefined, cache);
    const [name] = readdirSync(cache.cacheDir);
    const path = join(cache.cacheDir, name!);
    writeFileSync(path, readFileSync(path).subarray(0, 200));
    expect(readMarketFile(file, undefined, cache).cache).toBe('written');
    expect(readMarketFile(file, undefined, cache).cache).toBe('hit');
  });

  it('is not used for small files or without a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ht-cache-'));
    expect(readMarketFile(EXPORT, undefined, { cacheDir: join(dir, 'cache') }).cache).toBe('off');
    expect(readMarketFile(EXPORT, undefined).cache).toBe('off');
  });
});

import { describe, expect, it } from 'vitest';
import { DataError } from '../../core/errors.js';
import { loadMarketSources } from './load-sources.js';
import { BarChecksSchema } from './suspicious-bars.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const checks = BarChecksSchema.parse({});

/** 60 hourly bars of a quiet random-looking walk around 100, volume about 1000; `edit` changes some. */
function csv(edit: (h: number, bar: number[]) => number[] = (_, b) => b): string {
  const rows = Array.from({ length: 60 }, (_, h) => {
    const close = 100 * (1 + 0.004 * Math.sin(h * 1.7) + 0.003 * Math.cos(h * 0.9));
    const open = 100 * (1 + 0.004 * Math.sin((h - 1) * 1.7) + 0.003 * Math.cos((h - 1) * 0.9));
    const bar = [
      open,
      Math.max(open, close) * 1.001,
      Math.min(open, close) * 0.999,
      close,
      1000 + (h % 7) * 50,
    ];
    return [T + h * H, ...edit(h, bar)].join(',');
  });
  return ['timestamp,open,high,low,close,volume', ...rows].join('\n');
}

const suspicious = (text: string) =>
  loadMarketSources([{ path: 'BTC.csv', text }], { checks }).report.suspicious!;

describe('suspicious bars', () => {
  it('finds none in plain data, and is not looked for without checks', () => {
    expect(suspicious(csv())).toMatchObject({ count: 0, bars: [] });
    expect(loadMarketSources([{ path: 'BTC.csv', text: csv() }]).report.suspicious).toBeNull();
  });

  it('flags a first bar whose open and high are 3.8 times its close', () => {
    const s = suspicious(
      csv((h, [o, hi, l, c, v]) => (h === 0 ? [c! * 3.8, c! * 3.8, l!, c!, v!] : [o!, hi!, l!, c!, v!])),
    );
    expect(s.byKind).toEqual({ spike: 1, forming: 0, 'zero-volume': 0, magnitude: 0 });
    expect(s.bars[0]).toMatchObject({
      kind: 'spike',
      ts: new Date(T).toISOString(),
      file: 'BTC.csv',
      line: 2,
    });
    expect(s.bars[0]!.detail).toMatch(
      /^open 381\.\d+ \(\d+ deviations\), high 381\.\d+ \(\d+ deviations\) from the neighbours' median close/,
    );
  });

  it('flags a last bar with a sixth of the usual volume as maybe still forming', () => {
    const s = suspicious(csv((h, b) => (h === 59 ? [...b.slice(0, 4), 180] : b)));
    expect(s.bars).toEqual([
      expect.objectContaining({
        kind: 'forming',
        line: 61,
        detail: expect.stringMatching(/^last bar's volume 180 is 16 % of the median/),
      }),
    ]);
  });

  it('flags a run of zero volume and a close of 1e308', () => {
    const s = suspicious(
      csv((h, [o, hi, l, c, v]) => {
        if (h >= 10 && h < 14) return [o!, hi!, l!, c!, 0];
        if (h === 30) return [o!, 1e308, l!, 1e308, v!];
        return [o!, hi!, l!, c!, v!];
      }),
    );
    expect(s.byKind).toMatchObject({ 'zero-volume': 1, magnitude: 1 });
    expect(s.bars.find((b) => b.kind === 'zero-volume')).toMatchObject({
      ts: new Date(T + 10 * H).toISOString(),
      toTs: new Date(T + 13 * H).toISOString(),
      detail: '4 consecutive bars with zero volume',
    });
    expect(s.bars.find((b) => b.kind === 'magnitude')!.detail).toMatch(
      /^high 1e\+308, close 1e\+308 outside the plausible range/,
    );
  });

  it('uses the thresholds given: a lower spike threshold flags milder moves', () => {
    const text = csv((h, [o, hi, l, c, v]) =>
      h === 20 ? [o!, hi! * 1.25, l!, c!, v!] : [o!, hi!, l!, c!, v!],
    );
    expect(suspicious(text).byKind.spike).toBe(0);
    const strict = loadMarketSources([{ path: 'BTC.csv', text }], {
      checks: { ...checks, spikeDeviations: 10 },
    });
    expect(strict.report.suspicious!.byKind.spike).toBe(1);
  });
});

describe('implausible bars outside data check', () => {
  const closeOf1e308 = csv((h, [o, hi, l, c, v]) =>
    h === 30 ? [o!, 1e308, l!, 1e308, v!] : [o!, hi!, l!, c!, v!],
  );

  it('refuses a close of 1e308 by name, file, line and field when the data is used', () => {
    const load = () => loadMarketSources([{ path: 'BTC.csv', text: closeOf1e308 }]);
    expect(load).toThrow(DataError);
    expect(load).toThrow(
      /^BTC\.csv line 32, field "high": BTC high 1e\+308, close 1e\+308 at 2024-01-02T06:00:00\.000Z is outside the plausible range/,
    );
    try {
      load();
    } catch (error) {
      expect((error as DataError).code).toBe('BAR_IMPLAUSIBLE');
      expect((error as DataError).context).toMatchObject({ file: 'BTC.csv', line: 32, count: 1 });
    }
  });

  it('refuses a volume above the bound and a price below it, counting every bar', () => {
    const text = csv((h, [o, hi, l, c, v]) =>
      h === 3 ? [o!, hi!, l!, c!, 1e16] : h === 9 ? [1e-11, hi!, 1e-11, c!, v!] : [o!, hi!, l!, c!, v!],
    );
    expect(() => loadMarketSources([{ path: 'BTC.csv', text }])).toThrow(
      /^BTC\.csv line 5, field "volume": BTC volume 1e\+16 .* \(2 implausible bars in all; .*data\.checks/,
    );
  });

  it('accepts the bar when the bounds are raised, and data check only reports it', () => {
    const bounds = { ...checks, maxPrice: Number.MAX_VALUE };
    expect(loadMarketSources([{ path: 'BTC.csv', text: closeOf1e308 }], { bounds }).data.length).toBe(60);
    expect(suspicious(closeOf1e308).byKind.magnitude).toBe(1);
  });
});

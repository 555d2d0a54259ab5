import { describe, expect, it } from 'vitest';
import { loadMarketSources } from './loaders/index.js';
import { windowWarnings } from './window-warnings.js';

const H = 3_600_000;
const T = Date.UTC(2020, 0, 1);
const iso = (h: number) => new Date(T + h * H).toISOString();
const csv = (hours: number[]) =>
  ['timestamp,open,high,low,close,volume', ...hours.map((h) => `${T + h * H},1,2,0.5,1.5,10`)].join('\n');
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('windowWarnings', () => {
  const { data, report } = loadMarketSources([
    { path: 'BTC.csv', text: csv(range(0, 100)) },
    { path: 'SOL.csv', text: csv(range(30, 90).filter((h) => h !== 50 && h !== 51)) },
  ]);

  it('says that symbols starting and ending on other dates cut the window, naming them', () => {
    expect(windowWarnings(data, report, { fromTs: T })).toEqual([
      `--from ${iso(0)}: frames start at ${iso(30)}, where the last symbol to start (SOL) begins; earlier bars (BTC from ${iso(0)}) are not used`,
      `the data: frames end at ${iso(89)}, where the first symbol to end (SOL) stops; later bars (BTC to ${iso(99)}) are not used`,
      `2 frames missing between ${iso(30)} and ${iso(89)} (gaps where a symbol has no bar; never filled, see data check)`,
    ]);
  });

  it('says nothing when the window asked for lies inside the common range without gaps', () => {
    expect(windowWarnings(data, report, { fromTs: T + 60 * H, toTs: T + 80 * H })).toEqual([]);
  });

  it('counts only the frames missing inside the window', () => {
    expect(windowWarnings(data, report, { fromTs: T + 40 * H, toTs: T + 60 * H })).toEqual([
      `2 frames missing between ${iso(40)} and ${iso(59)} (gaps where a symbol has no bar; never filled, see data check)`,
    ]);
  });

  it('names a window that starts before or ends after one-symbol data', () => {
    const one = loadMarketSources([{ path: 'BTC.csv', text: csv(range(10, 20)) }]);
    expect(windowWarnings(one.data, one.report, { fromTs: T, toTs: T + 30 * H })).toEqual([
      `--from ${iso(0)}: the data starts at ${iso(10)}`,
      `--to ${iso(30)}: the data ends with the frame at ${iso(19)}`,
    ]);
  });
});

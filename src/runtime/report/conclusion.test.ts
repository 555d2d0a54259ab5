import { describe, expect, it } from 'vitest';
import type { ReplayResult } from '../replay.js';
import { comparisonConclusion } from './conclusion.js';

const window = { from: '2024-06-15T16:00:00.000Z', to: '2024-09-23T16:00:00.000Z', hours: 2400 };
const result = (mode: ReplayResult['mode'], returnPct: number | null): ReplayResult =>
  ({
    mode,
    returnPct,
    window,
    inSample: [],
    benchmarks: [
      {
        name: 'equal-weight',
        returnPct: -9.05,
        sharpe: null,
        psr: null,
        maxDrawdownPct: null,
        finalEquity: 0,
      },
      {
        name: 'buy-and-hold',
        returnPct: -2.29,
        sharpe: null,
        psr: null,
        maxDrawdownPct: null,
        finalEquity: 0,
      },
    ],
  }) as unknown as ReplayResult;
const EVALUATE = '`hybrid-trader evaluate --windows 12`';

describe('comparisonConclusion', () => {
  it('names the winner, its lead, the others, the benchmarks over the same bars, and what would decide', () => {
    const text = comparisonConclusion(
      [
        result('hybrid', 3.59),
        result('training-only', 18.57),
        result('arena-only', -3.04),
        result('ensemble', 0.05),
      ],
      EVALUATE,
    );
    expect(text).toBe(
      'Over 2024-06-15T16:00Z .. 2024-09-23T16:00Z (2400 h), training-only made the most: +18.57 %, 14.98 pp ahead of hybrid (+3.59 %); then ensemble +0.05 %, arena-only -3.04 %.' +
        ' Over the same bars equal weight made -9.05 %, buy and hold made -2.29 %, cash made 0.00 %: training-only beat all of them.' +
        ' One synthetic sample proves little: `hybrid-trader evaluate --windows 12` trains and replays every mode over many out-of-sample windows and counts how often each beats the others and the benchmarks.',
    );
  });

  it('says which benchmarks the winner trailed, and by how much', () => {
    const text = comparisonConclusion([result('hybrid', -5), result('ensemble', -12)], EVALUATE);
    expect(text).toContain('hybrid made the most: -5.00 %, 7.00 pp ahead of ensemble (-12.00 %).');
    expect(text).toContain(
      'hybrid beat equal weight but trailed buy and hold by 2.71 pp and cash by 5.00 pp.',
    );
  });

  it('says so first when the comparison is in-sample', () => {
    const inSample = { ...result('hybrid', 1), inSample: [{}] } as unknown as ReplayResult;
    expect(comparisonConclusion([inSample], EVALUATE)).toMatch(
      /^In-sample \(models were trained or validated on these bars/,
    );
  });

  it('is empty when no mode has a return', () => {
    expect(comparisonConclusion([result('hybrid', null)], EVALUATE)).toBe('');
  });
});

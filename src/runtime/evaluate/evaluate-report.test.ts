import { describe, expect, it } from 'vitest';
import { compareArms, type EvaluationReport } from './evaluate.js';
import { beatsTable, conclusion, distributionRows } from './evaluate-report.js';
import type { WindowResult } from './window-run.js';

const label = { from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z', hours: 24 };

/** A window where hybrid returned `hybrid` % and training-only stayed in cash (no Sharpe). */
function windowOf(k: number, hybrid: number, equalWeight: number): WindowResult {
  const mode = (name: string, returnPct: number, sharpe: number | null) => ({
    mode: name,
    returnPct,
    sharpe,
    psr: null,
    maxDrawdownPct: 0,
    finalEquity: 10_000 * (1 + returnPct / 100),
    deployments: returnPct === 0 ? 0 : 1,
    promotions: 0,
    refusals: 0,
    deployed: null,
    decisions: [],
  });
  return {
    schemaVersion: 1,
    index: k,
    id: `w${k}`,
    window: label,
    trainWindow: label,
    training: {
      schemaVersion: 1,
      study: 'evaluate',
      window: label,
      complete: 1,
      pruned: 0,
      failed: 0,
      seconds: 1,
      best: null,
    },
    modes: [mode('hybrid', hybrid, hybrid / 2), mode('training-only', 0, null)],
    benchmarks: [
      {
        name: 'equal-weight',
        returnPct: equalWeight,
        sharpe: 1,
        psr: null,
        maxDrawdownPct: 0,
        finalEquity: 0,
      },
    ],
    replaySeconds: 0,
  };
}

describe('evaluation tables', () => {
  const windows = [windowOf(0, 2, 1), windowOf(1, -1, 3), windowOf(2, 4, 4)];
  const { arms, beats } = compareArms(windows, ['hybrid', 'training-only']);
  const report = { arms, beats, windows } as unknown as EvaluationReport;

  it('win counts per pair over the same windows, with ties said (a mode in cash ties cash)', () => {
    const cell = (arm: string, other: string) => {
      const t = beatsTable(report);
      return t.rows.find((r) => r[0] === arm)![t.header.indexOf(other)];
    };
    expect(cell('hybrid', 'equal-weight')).toBe('1/3 (1 tied)');
    expect(cell('hybrid', 'cash')).toBe('2/3');
    expect(cell('training-only', 'cash')).toBe('0/3 (3 tied)');
    expect(cell('training-only', 'hybrid')).toBe('1/3');
  });

  it('median [quartiles] and worst per arm; a figure missing in some windows says over how many', () => {
    const rows = distributionRows(arms);
    const hybrid = rows.find((r) => r[0] === 'hybrid')!;
    expect(hybrid.slice(1, 5)).toEqual(['2.00 [0.50, 3.00]', '-1.00', '1.00 [0.25, 1.50]', '-0.50']);
    const cashMode = rows.find((r) => r[0] === 'training-only')!;
    expect(cashMode[3]).toBe('-'); // no Sharpe in any window: all cash
    const partial = compareArms(
      [
        windowOf(0, 2, 1),
        { ...windowOf(1, 0, 3), modes: [{ ...windowOf(1, 0, 3).modes[0]!, sharpe: null }] },
      ],
      ['hybrid'],
    );
    expect(distributionRows(partial.arms)[0]![3]).toBe('1.00 [1.00, 1.00] (1 of 2)');
    expect(rows.find((r) => r[0] === 'benchmark: equal-weight')![7]).toBe('-'); // no swaps for a benchmark
  });

  it('concludes with the mode of the highest median return and its win counts', () => {
    expect(conclusion(report)).toBe(
      'Over 3 windows, hybrid had the highest median return (2.00 %, worst -1.00 %); it returned more than training-only in 2 of 3, equal-weight in 1 of 3, cash in 2 of 3 windows.',
    );
  });
});

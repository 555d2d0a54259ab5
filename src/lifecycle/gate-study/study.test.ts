import { describe, expect, it } from 'vitest';
import { resolveSimConfig } from '../../sim/index.js';
import { spendingPower } from '../arena/excess-test.js';
import { builtinNullLifetime } from './builtin-null.js';
import { syntheticLifetime } from './excess-process.js';
import { aggregateStudy, DEFAULT_GATE_STUDY, minDetectable, runStudyTasks, studyTasks } from './study.js';

const small = {
  ...DEFAULT_GATE_STUDY,
  nullLifetimes: 12,
  edgeLifetimes: 4,
  builtinLifetimes: 2,
  irs: [3, 10],
};

describe('gate study: designs', () => {
  it('a synthetic edge has the IR asked for, paired over the same bars', () => {
    const bars = 200_000;
    const { paper, challengers } = syntheticLifetime(5, 'x', bars, [20, 0], 8760);
    const d = new Float64Array(bars);
    for (let t = 0; t < bars; t++)
      d[t] = challengers[0]![t + 1]! / challengers[0]![t]! - paper[t + 1]! / paper[t]!;
    let m = 0;
    for (const x of d) m += x;
    m /= bars;
    let v = 0;
    for (const x of d) v += (x - m) ** 2;
    const ir = (m / Math.sqrt(v / (bars - 1))) * Math.sqrt(8760);
    // standard error of an IR estimate over 200,000 h: about sqrt(8760 / 200000) = 0.21
    expect(ir).toBeGreaterThan(19);
    expect(ir).toBeLessThan(21);
  });

  it('the built-in null steps real portfolios through the simulator, each with its own random entries', () => {
    const { paper, challengers } = builtinNullLifetime(3, 0, 200, 2, resolveSimConfig({}));
    expect(paper).toHaveLength(201);
    expect(paper[0]).toBe(10_000);
    expect(challengers[0]![200]).not.toBe(challengers[1]![200]);
    expect(challengers[0]![200]).not.toBe(paper[200]);
    // the same seed and lifetime give the same curves
    expect(builtinNullLifetime(3, 0, 200, 2, resolveSimConfig({})).paper).toEqual(paper);
  });
});

describe('gate study: reproducible, any split', () => {
  it('the report does not depend on how the tasks are split or ordered', () => {
    const tasks = studyTasks(small);
    const whole = aggregateStudy(small, runStudyTasks(small, tasks));
    const odd = tasks.filter((_, i) => i % 2 === 1);
    const even = tasks.filter((_, i) => i % 2 === 0);
    const split = aggregateStudy(
      small,
      [...runStudyTasks(small, odd), ...runStudyTasks(small, even)].reverse(),
    );
    expect(split).toEqual(whole);
    expect(whole.rows.map((r) => r.name)).toEqual(['seed', 'hourly-t', 'holm', 'msprt', 'spending']);
    for (const r of whole.rows) {
      expect(r.power).toHaveLength(2 * 4);
      expect(r.nullSynthetic.lifetimes).toBe(12);
      expect(r.nullBuiltin.lifetimes).toBe(2);
    }
  });

  it('unknown configuration names are refused', () => {
    expect(() => runStudyTasks({ ...small, gates: ['nope'] }, [])).toThrow(/unknown gate configuration/);
  });

  it('minimum detectable IR interpolates the power curve', () => {
    expect(
      minDetectable([
        { ir: 5, power: 0.6 },
        { ir: 10, power: 0.9 },
      ]),
    ).toBeCloseTo(5 + (0.2 / 0.3) * 5, 12);
    expect(minDetectable([{ ir: 10, power: 0.5 }])).toBeNull();
  });
});

// The must-holds, at the documented number of lifetimes (docs/lifecycle.md, "The gate study").
describe('gate study: the statistical rule meets its targets, the seed rules do not', () => {
  it('null: family-wise false promotion rate <= 5 % within its 95 % interval over 2,000 lifetimes', () => {
    const o = { ...DEFAULT_GATE_STUDY, edgeLifetimes: 0, builtinLifetimes: 0, gates: ['seed', 'spending'] };
    const report = aggregateStudy(o, runStudyTasks(o, studyTasks(o)));
    const [seed, spending] = report.rows;
    expect(spending!.nullSynthetic.lifetimes).toBe(2000);
    expect(spending!.nullSynthetic.lower).toBeLessThanOrEqual(0.05);
    expect(spending!.nullSynthetic.rate).toBeLessThanOrEqual(0.05);
    // the seed rules promote a challenger without edge in most lifetimes
    expect(seed!.nullSynthetic.lower).toBeGreaterThan(0.5);
  }, 600_000);

  it('edge: power >= 80 % for IR 10 within 1,344 h, close to the closed-form crossing probability', () => {
    const o = {
      ...DEFAULT_GATE_STUDY,
      nullLifetimes: 0,
      builtinLifetimes: 0,
      irs: [10],
      gates: ['spending'],
    };
    const report = aggregateStudy(o, runStudyTasks(o, studyTasks(o)));
    const power = report.rows[0]!.power.find((p) => p.ir === 10 && p.hours === 1344)!.power;
    expect(power).toBeGreaterThanOrEqual(0.8);
    // the formula assumes no autocorrelation and a known variance: the study's process is a bit harder
    expect(Math.abs(power - spendingPower(10, 1344, 8760, 0.05 / 9))).toBeLessThan(0.08);
  }, 300_000);
});

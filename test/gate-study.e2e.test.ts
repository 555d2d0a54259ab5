import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

describe('hybrid-trader gate-study (end to end)', () => {
  it('--json: per configuration the false promotion rate and the power list, same numbers on 1 or 2 workers', () => {
    const args = [
      'gate-study',
      '--json',
      '--null-lifetimes',
      '6',
      '--edge-lifetimes',
      '3',
      '--builtin-lifetimes',
      '2',
      '--seed',
      '4',
    ];
    const two = runCli([...args, '--workers', '2']);
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    const report = JSON.parse(two.stdout);
    expect(report.workers).toBe(2);
    expect(report.rows.map((r: { name: string }) => r.name)).toEqual([
      'seed',
      'hourly-t',
      'holm',
      'msprt',
      'spending',
    ]);
    for (const row of report.rows) {
      expect(typeof row.falsePromotionRate).toBe('number');
      expect(row.power).toHaveLength(5 * 4);
      expect(row.power[0]).toEqual({ ir: 1, hours: 168, power: expect.any(Number) });
      expect(row.nullSynthetic.lifetimes).toBe(6);
      expect(row.minDetectableIr.map((m: { hours: number }) => m.hours)).toEqual([168, 336, 672, 1344]);
    }
    const one = JSON.parse(runCli([...args, '--workers', '1']).stdout);
    expect(one.rows).toEqual(report.rows);
  });

  it('prints tables, and refuses an unknown configuration with exit code 2', () => {
    const text = runCli([
      'gate-study',
      '--null-lifetimes',
      '2',
      '--edge-lifetimes',
      '1',
      '--builtin-lifetimes',
      '1',
      '--gates',
      'seed,spending',
    ]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/spending: seed \+ HAC t/);
    expect(text.stdout).toMatch(/minimum detectable IR at 80 % power: 168 h/);
    const bad = runCli(['gate-study', '--gates', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown gate configuration\(s\) nope/);
  });
});

// A replay stopped part-way and run again reports the same result as one run straight through.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, trainSmallStudy } from './cli.js';

describe('replay resumed after a stop (end to end)', () => {
  it('reports the same return, Sharpe, drawdown and bars as an uninterrupted replay', () => {
    const trained = mkdtempSync(join(tmpdir(), 'ht-resume-'));
    const train = trainSmallStudy(trained, { study: 'rs', trials: 6, kind: 'momentum', seed: 6 });
    expect(train.status, train.stderr).toBe(0);
    const resumed = mkdtempSync(join(tmpdir(), 'ht-resume-a-'));
    const straight = mkdtempSync(join(tmpdir(), 'ht-resume-b-'));
    cpSync(trained, resumed, { recursive: true });
    cpSync(trained, straight, { recursive: true });
    const args = [
      'replay',
      '--study',
      'rs',
      '--data',
      'builtin?seed=6&bars=2000',
      '--from',
      '2024-02-20T00:00:00Z',
      '--json',
    ];
    expect(runCli([...args, '--to', '2024-03-10T00:00:00Z', '--root', resumed]).status).toBe(0);
    const a = runCli([...args, '--root', resumed]);
    const b = runCli([...args, '--root', straight]);
    expect(a.status, a.stderr).toBe(0);
    const pick = (out: string) => {
      const r = JSON.parse(out);
      const one = Array.isArray(r) ? r[0] : (r.results?.[0] ?? r);
      return [one.bars, one.returnPct, one.sharpe, one.maxDrawdownPct, one.finalEquity, one.deployments];
    };
    expect(pick(a.stdout)).toEqual(pick(b.stdout));
  }, 120_000);
});

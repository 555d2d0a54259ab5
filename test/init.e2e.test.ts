import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

describe('init and hybrid.config.json', () => {
  it('writes the defaults once, refuses to overwrite, and refuses a hand-edited bad value naming the field', () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-init-'));
    const first = runCli(['init', '--root', root]);
    expect(first.status).toBe(0);
    const config = JSON.parse(readFileSync(join(root, 'hybrid.config.json'), 'utf8'));
    expect(config).toMatchObject({
      schemaVersion: 1,
      sim: { feeRate: 0.0025, maxWeight: 0.3 },
      deployer: { mode: 'hybrid' },
    });
    expect(config.arena.gate).toMatchObject({ minHours: 168, minExcessPct: 2, minSharpe: 0 });
    const again = runCli(['init', '--root', root]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists already/);
    config.sim.feeRate = -1;
    writeFileSync(join(root, 'hybrid.config.json'), JSON.stringify(config));
    const replay = runCli(['replay', '--study', 'x', '--root', root]);
    expect(replay.status).not.toBe(0);
    expect(replay.stderr).toMatch(/hybrid.config.json: field "sim.feeRate"/);
  });
});

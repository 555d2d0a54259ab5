import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspaceConfig } from './workspace-config.js';

const workspace = (config?: object) => {
  const root = mkdtempSync(join(tmpdir(), 'ht-config-'));
  if (config) writeFileSync(join(root, 'hybrid.config.json'), JSON.stringify(config));
  return root;
};

describe('HYBRID_TRADER__SECTION__KEY overrides', () => {
  it('set nested keys by snake or camel case, over the file and the defaults, with JSON values', () => {
    const root = workspace({ schemaVersion: 1, sim: { feeRate: 0.001 }, deployer: { mode: 'arena-only' } });
    const config = loadWorkspaceConfig(root, {
      HYBRID_TRADER__ARENA__GATE__MIN_HOURS: '72',
      HYBRID_TRADER__SIM__FEERATE: '0.002',
      HYBRID_TRADER__DEPLOYER__MODE: 'hybrid',
      HYBRID_TRADER__DEPLOYER__STUDIES: '["a","b"]',
      HYBRID_TRADER__EXCHANGE__API_URL: 'http://127.0.0.1:8999', // optional: absent from the defaults
      HYBRID_TRADER_ROOT: '/elsewhere', // one underscore: not an override
    });
    expect(config.exchange.apiUrl).toBe('http://127.0.0.1:8999');
    expect(config.arena.gate.minHours).toBe(72);
    expect(config.sim.feeRate).toBe(0.002);
    expect(config.deployer).toMatchObject({ mode: 'hybrid', studies: ['a', 'b'] });
    expect(loadWorkspaceConfig(root, {}).sim.feeRate).toBe(0.001);
  });

  it('refuses an unknown key or an invalid value, naming the variable', () => {
    const root = workspace();
    expect(() => loadWorkspaceConfig(root, { HYBRID_TRADER__ARENA__NOPE: '1' })).toThrow(
      /HYBRID_TRADER__ARENA__NOPE: "arena.NOPE" is not a configuration key/,
    );
    expect(() => loadWorkspaceConfig(root, { HYBRID_TRADER__SIM__FEE_RATE__X: '1' })).toThrow(
      /is a value, not a section/,
    );
    expect(() => loadWorkspaceConfig(root, { HYBRID_TRADER__SIM__FEE_RATE: '-1' })).toThrow(
      /HYBRID_TRADER__SIM__FEE_RATE over .*hybrid.config.json: field "sim.feeRate"/,
    );
  });
});

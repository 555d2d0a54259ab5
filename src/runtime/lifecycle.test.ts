// Opening the lifecycle on a workspace a killed run left: the temporary files of its interrupted atomic
// writes are swept from every folder the services write, and nothing else is touched.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMarketData } from '../market/market-data.js';
import { resolveSimConfig } from '../sim/index.js';
import { openLifecycle } from './lifecycle.js';

const H = 3_600_000;
let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('openLifecycle', () => {
  it("sweeps a killed run's temporary files from the paper, arena, promotions and deployments folders only", () => {
    root = mkdtempSync(join(tmpdir(), 'ht-lifecycle-'));
    const leftovers: Record<string, string> = {
      paper_trades: '.positions_state.json.123.4.tmp',
      arena_state: '.arena_state.json.123.5.tmp',
      'arena_state/promotions': '.1715590800000-s_3.json.123.6.tmp',
      deployments: '.deployment_state.json.123.7.tmp',
      logs: '.kept.json.123.8.tmp',
    };
    for (const [dir, name] of Object.entries(leftovers)) {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, name), 'half written');
      writeFileSync(join(root, dir, 'notes.txt'), 'not ours');
    }
    openLifecycle({
      root,
      market: createMarketData(['AAA/USDT'], H, 4),
      simConfig: resolveSimConfig(),
      deployer: { studies: ['s'] },
      trialsAt: () => [],
      packageVersion: 'test',
    });
    const left = (dir: string) =>
      readdirSync(join(root, dir), { withFileTypes: true }).filter((e) => e.isFile());
    for (const dir of ['paper_trades', 'arena_state', 'arena_state/promotions', 'deployments'])
      expect(left(dir).map((e) => e.name)).toEqual(['notes.txt']);
    expect(left('logs').map((e) => e.name)).toEqual(
      expect.arrayContaining(['.kept.json.123.8.tmp', 'notes.txt']),
    );
  });
});

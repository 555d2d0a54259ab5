// Test harness: a paper trader and an arena on one workspace, stepped in the engine's order on each frame.

import type { MarketData } from '../../market/market-data.js';
import type { Policy } from '../../models/index.js';
import { type SimConfig, Simulator } from '../../sim/index.js';
import type { StateStore } from '../../state/index.js';
import { Arena } from '../arena/arena.js';
import type { ArenaConfigInput } from '../arena/arena-config.js';
import type { ModelRef, PolicyLoader } from '../contracts.js';
import { PaperTrader } from '../paper/paper-trader.js';
import { frameAt, memoryLogger, replayClock } from './fixtures.js';

export interface Services {
  readonly paper: PaperTrader;
  readonly arena: Arena;
  readonly paperLog: ReturnType<typeof memoryLogger>;
  readonly arenaLog: ReturnType<typeof memoryLogger>;
  /** Deploys `ref` with `policy` to the paper trader and makes it the arena's champion (as the deployer does). */
  deploy(ref: ModelRef, policy: Policy): void;
  /** Applies frames [from, to): paper trader first, then the arena (as the runtime does). */
  run(from: number, to: number): void;
}

/**
 * Opens (or resumes) both services of `root` on `market`, sharing one Simulator; with `store` (a
 * StateTransaction) both write their files through it, as the engine runs them.
 */
export function openServices(options: {
  readonly root: string;
  readonly market: MarketData;
  readonly loader: PolicyLoader;
  readonly simConfig: Readonly<SimConfig>;
  readonly arena?: ArenaConfigInput;
  readonly bundleExists?: (ref: ModelRef) => boolean;
  readonly store?: StateStore;
}): Services {
  const { root, market, loader, simConfig } = options;
  const clock = replayClock(market.timeframeMs);
  const simulator = new Simulator(simConfig, market.symbols, market.timeframeMs);
  const shape = {
    root,
    symbols: market.symbols,
    timeframeMs: market.timeframeMs,
    simConfig,
    loadPolicy: loader,
    store: options.store,
  };
  const paperLog = memoryLogger();
  const arenaLog = memoryLogger();
  const paper = PaperTrader.open({ ...shape, logger: paperLog, now: clock.now, simulator });
  const arena = Arena.open({
    ...shape,
    logger: arenaLog,
    now: clock.now,
    paper,
    simulator,
    config: options.arena ?? {},
    bundleExists: options.bundleExists,
  });
  return {
    paper,
    arena,
    paperLog,
    arenaLog,
    deploy(ref, policy) {
      paper.setModel(ref, policy);
      arena.setChampion(ref);
    },
    run(from, to) {
      for (let t = from; t < to; t++) {
        const frame = frameAt(market, t);
        clock.advance(frame);
        paper.onFrame(frame);
        arena.onFrame(frame);
      }
    },
  };
}

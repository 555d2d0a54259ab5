// Test fixtures for the lifecycle services: temp workspaces, daily markets, fixed-weight policies and loaders, loggers, clocks.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marketFromCloses, T0 } from '../../../test/market-fixtures.js';
import { ModelError } from '../../core/errors.js';
import type { MarketData } from '../../market/market-data.js';
import type { Policy } from '../../models/index.js';
import type { FrameEvent, ModelRef, PolicyLoader, ServiceLogger } from '../contracts.js';

export const DAY_MS = 86_400_000;

/** A fresh temporary workspace root. */
export function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'ht-lifecycle-'));
}

/** The FrameEvent of frame t (the test market holds later bars too; policies must not read them). */
export function frameAt(market: MarketData, t: number): FrameEvent {
  return { market, t, ts: market.ts[t]! };
}

/** Closes that move by the given per-frame returns, cycling through them, from `start`. */
function closesFrom(start: number, returns: readonly number[], frames: number): number[] {
  const out: number[] = [];
  let price = start;
  for (let t = 0; t < frames; t++) {
    if (t > 0) price *= 1 + returns[(t - 1) % returns.length]!;
    out.push(price);
  }
  return out;
}

/** How a symbol of {@link dailyMarket} moves: per-frame returns, cycled, from 100 or from `start`. */
export type DailyMove = readonly number[] | { readonly start: number; readonly returns: readonly number[] };

/**
 * `frames` daily bars (7 frames make 168 h) of the symbols of `moves`, in its key order, each closing at
 * its start and then moving by its returns.
 */
export function dailyMarket(frames: number, moves: Readonly<Record<string, DailyMove>>): MarketData {
  const closes = Object.values(moves).map((m) =>
    'start' in m ? closesFrom(m.start, m.returns, frames) : closesFrom(100, m, frames),
  );
  return marketFromCloses(Object.keys(moves), closes, DAY_MS);
}

/** A ModelRef whose bundle folder exists (an empty folder: pair it with `policyLoader`). */
export function modelRef(root: string, modelId: string, trainingScore: number | null = null): ModelRef {
  const [study, trial] = modelId.split('/');
  const modelPath = join(root, 'models', modelId);
  mkdirSync(modelPath, { recursive: true });
  const trialNumber = trial !== undefined && /^\d+$/.test(trial) ? Number(trial) : null;
  return { modelId, study: study ?? modelId, trialNumber, trainingScore, modelPath };
}

/** A policy that always targets the same weights (one per symbol). */
export function fixedWeights(symbols: readonly string[], weights: readonly number[], name = 'fixed'): Policy {
  return {
    name,
    symbols,
    warmupBars: 0,
    decide(_ctx, out) {
      for (let i = 0; i < out.length; i++) out[i] = weights[i] ?? 0;
    },
  };
}

/** A {@link policyLoader} whose every model holds fixed weights (one per symbol), keyed by modelId. */
export function holdingLoader(
  symbols: readonly string[],
  holdings: Readonly<Record<string, readonly number[]>>,
) {
  return policyLoader(
    Object.fromEntries(
      Object.entries(holdings).map(([id, weights]) => [id, () => fixedWeights(symbols, weights)]),
    ),
  );
}

/**
 * A PolicyLoader backed by factories keyed by modelId; an unknown id throws ModelError like a missing
 * bundle. `calls` records every load.
 */
export function policyLoader(
  factories: Record<string, () => Policy>,
): PolicyLoader & { calls: string[]; factories: Record<string, () => Policy> } {
  const calls: string[] = [];
  const load = (ref: ModelRef): Policy => {
    calls.push(ref.modelId);
    const factory = factories[ref.modelId];
    if (!factory) throw new ModelError('BUNDLE_NOT_FOUND', `no model bundle for ${ref.modelId}`);
    return factory();
  };
  return Object.assign(load, { calls, factories });
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

/** A ServiceLogger that keeps its lines in memory. */
export function memoryLogger(): ServiceLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, msg, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A replay clock: `now()` is the close of the last frame `advance`d to (as the runtime's replay does). */
export function replayClock(timeframeMs: number): {
  now: () => number;
  advance: (frame: FrameEvent) => void;
} {
  let clock = T0;
  return {
    now: () => clock,
    advance: (frame) => {
      clock = frame.ts + timeframeMs;
    },
  };
}

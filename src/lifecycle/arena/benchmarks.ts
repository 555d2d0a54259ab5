// The arena's benchmarks: equal-weight and first-symbol buy-and-hold, from the arena's first frame.

import { createBuyAndHold, createEqualWeight, type Policy } from '../../models/index.js';
import { PolicyStepper, type SimConfig, Simulator } from '../../sim/index.js';
import type { FrameEvent } from '../contracts.js';
import type { BenchmarkName, BenchmarkState } from './arena-state.js';
import type { BoundedSeries } from './bounded-series.js';
import { Track } from './track.js';

/** A benchmark portfolio with its builtin policy. */
export interface Benchmark {
  readonly name: BenchmarkName;
  readonly symbols: readonly string[];
  readonly policy: Policy;
  readonly track: Track;
}

function policyFor(name: BenchmarkName, symbols: readonly string[]): Policy {
  return name === 'equal-weight' ? createEqualWeight(symbols) : createBuyAndHold(symbols);
}

function heldBy(name: BenchmarkName, symbols: readonly string[]): readonly string[] {
  return name === 'equal-weight' ? [...symbols] : [symbols[0]!];
}

/** Both benchmarks, all cash at `startingEquity`, not stepped yet. */
export function createBenchmarks(
  symbols: readonly string[],
  startingEquity: number,
  capacity: number,
): Benchmark[] {
  return (['equal-weight', 'buy-and-hold'] as const).map((name) => ({
    name,
    symbols: heldBy(name, symbols),
    policy: policyFor(name, symbols),
    track: Track.fresh(symbols, startingEquity, capacity),
  }));
}

/** Benchmarks from arena_state.json (`source` prefixes error messages). */
export function restoreBenchmarks(
  states: readonly BenchmarkState[],
  symbols: readonly string[],
  capacity: number,
  source: string,
): Benchmark[] {
  return states.map((s, k) => ({
    name: s.name,
    symbols: heldBy(s.name, symbols),
    policy: policyFor(s.name, symbols),
    track: Track.restore(s, symbols, capacity, `${source}: benchmarks.${k}`),
  }));
}

/** The stored form of a benchmark. */
export function benchmarkState(b: Benchmark, timeframeMs: number, frameTs: BoundedSeries): BenchmarkState {
  return { name: b.name, symbols: [...b.symbols], ...b.track.toState(timeframeMs, frameTs) };
}

/**
 * The benchmarks stepped alone over `frames`, from `startingEquity`, exactly as the arena steps its own
 * (the same policies, simulator and step): each one's equity after every frame. A replay resumed after a
 * restart reports its whole window from these, the arena keeping only a bounded tail of its curves.
 */
export function stepBenchmarksAlone(
  symbols: readonly string[],
  simConfig: Readonly<SimConfig>,
  timeframeMs: number,
  startingEquity: number,
  frames: Iterable<FrameEvent>,
): { readonly name: BenchmarkName; readonly equity: number[] }[] {
  const stepper = new PolicyStepper(new Simulator(simConfig, symbols, timeframeMs));
  const benchmarks = createBenchmarks(symbols, startingEquity, 2);
  const curves = benchmarks.map((b) => ({ name: b.name, equity: [] as number[] }));
  for (const frame of frames) {
    stepper.checkFrame(frame.market, frame.t, frame.ts);
    for (const [k, b] of benchmarks.entries()) curves[k]!.equity.push(b.track.step(stepper, frame, b.policy));
  }
  return curves;
}

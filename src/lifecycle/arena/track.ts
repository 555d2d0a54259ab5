// A portfolio stepped on every arena frame since its entry, with its bounded equity window and metrics.
import { InvariantError } from '../../core/errors.js';
import { barsToHours } from '../../core/timeframe.js';
import { totalReturnPct } from '../../metrics/index.js';
import {
  createPortfolio,
  type PolicyStepper,
  type PortfolioState,
  restorePortfolio,
  type StepDecision,
  type StepListener,
  snapshotPortfolio,
} from '../../sim/index.js';
import type { FrameEvent } from '../contracts.js';
import type { MemberMetrics } from './arena-state.js';
import { BoundedSeries } from './bounded-series.js';
import { windowMetrics } from './gate.js';

/** What a track's metrics are refreshed with after a frame. */
export interface MetricsRefresh {
  readonly periodsPerYear: number;
  readonly timeframeMs: number;
  /** The paper trader's return over the same window (null when it does not cover it). */
  readonly paperReturnPct: number | null;
  /** ts of the window's first frame (see windowStartTs) and of the frame just applied. */
  readonly windowStartTs: number | null;
  readonly lastBarTs: number;
}

/** The stored form of a track (arena_state.json). */
export interface TrackState {
  enteredAt: number | null;
  bars: number;
  hours: number;
  startingEquity: number;
  windowStartTs: number | null;
  portfolio: ReturnType<typeof snapshotPortfolio> | null;
  equity: number[];
  metrics: MemberMetrics;
}

const EMPTY_METRICS: MemberMetrics = {
  window: null,
  sinceEntry: null,
  returnPct: null,
  paperReturnPct: null,
  excessReturnPct: null,
  sharpe: null,
  sortino: null,
  maxDrawdownPct: null,
  psr: null,
  trades: 0,
  refusedSteps: 0,
};

/**
 * One virtual portfolio in the arena (a member's or a benchmark's). Its curve keeps at most `capacity`
 * points: while nothing was trimmed the metrics window is [enteredAt, now], afterwards the trailing window.
 */
export class Track {
  private current: MemberMetrics;
  /** The inputs of the last refreshMetrics not computed yet, and the frame count they are for. */
  private pending: (MetricsRefresh & { bars: number }) | null = null;

  private constructor(
    readonly portfolio: PortfolioState,
    readonly curve: BoundedSeries,
    public bars: number,
    public enteredAt: number | null,
    readonly startingEquity: number,
    metrics: MemberMetrics,
  ) {
    this.current = metrics;
  }

  /**
   * The window metrics as of the last refreshMetrics (the stored ones before any), computed on first read:
   * most frames only the gate of challengers past minHours needs them, the rest is read when the state is
   * written. Throws InvariantError when read after a step that was not refreshed yet (the curve no longer
   * matches the paper trader's return it was refreshed with).
   */
  get metrics(): MemberMetrics {
    const p = this.pending;
    if (p === null) return this.current;
    if (p.bars !== this.bars)
      throw new InvariantError(
        'ARENA_METRICS_STALE',
        `window metrics read after frame ${this.bars} was stepped but before they were refreshed (last refresh at frame ${p.bars})`,
      );
    const m = windowMetrics(this.curve.values(), p.periodsPerYear);
    const paperReturnPct = p.paperReturnPct;
    const toTs = p.lastBarTs + p.timeframeMs;
    this.current = {
      window:
        p.windowStartTs === null
          ? null
          : { fromTs: p.windowStartTs, toTs, hours: barsToHours(this.curve.size - 1, p.timeframeMs) },
      sinceEntry:
        this.enteredAt === null
          ? null
          : {
              fromTs: this.enteredAt,
              toTs,
              hours: this.hours(p.timeframeMs),
              returnPct: totalReturnPct([this.startingEquity, this.curve.last]),
            },
      ...m,
      paperReturnPct,
      excessReturnPct: m.returnPct !== null && paperReturnPct !== null ? m.returnPct - paperReturnPct : null,
      trades: this.portfolio.fills,
      refusedSteps: this.portfolio.rejectedSteps,
    };
    this.pending = null;
    return this.current;
  }

  /** An all-cash portfolio of `startingEquity` that has not stepped yet. */
  static fresh(symbols: readonly string[], startingEquity: number, capacity: number): Track {
    const curve = new BoundedSeries(capacity);
    curve.push(startingEquity);
    return new Track(createPortfolio(symbols, startingEquity), curve, 0, null, startingEquity, EMPTY_METRICS);
  }

  /** A track from arena_state.json (`source` names the file and field in errors). */
  static restore(state: TrackState, symbols: readonly string[], capacity: number, source: string): Track {
    const portfolio = state.portfolio
      ? restorePortfolio(state.portfolio, symbols, source)
      : createPortfolio(symbols, state.startingEquity);
    return new Track(
      portfolio,
      BoundedSeries.from(state.equity, capacity),
      state.bars,
      state.enteredAt,
      state.startingEquity,
      state.metrics,
    );
  }

  /** Steps one frame (the first one sets enteredAt) and appends the equity after it. */
  step(stepper: PolicyStepper, frame: FrameEvent, decision: StepDecision, listener?: StepListener): number {
    if (this.enteredAt === null) this.enteredAt = frame.ts;
    const equity = stepper.step(this.portfolio, frame.market, frame.t, decision, listener);
    this.bars++;
    this.curve.push(equity);
    return equity;
  }

  /** Return in percent over the window (the metrics' returnPct, from its ends alone); null before a frame. */
  windowReturnPct(): number | null {
    return this.curve.size < 2 ? null : totalReturnPct([this.curve.at(0), this.curve.last]);
  }

  hours(timeframeMs: number): number {
    return barsToHours(this.bars, timeframeMs);
  }

  /** ts of the window's first frame: enteredAt, or the frame the trimmed curve starts after. */
  windowStartTs(frameTs: BoundedSeries): number | null {
    const frames = this.curve.size - 1;
    if (frames <= 0) return null;
    if (frames === this.bars) return this.enteredAt;
    return frames <= frameTs.size ? frameTs.at(frameTs.size - frames) : null;
  }

  /** Refreshes the window metrics after a step (computed when `metrics` is next read, see there). */
  refreshMetrics(refresh: MetricsRefresh): void {
    const { periodsPerYear, timeframeMs, paperReturnPct, windowStartTs, lastBarTs } = refresh;
    // a literal, not a spread: adding `bars` to a spread built a new hidden class on every call (profiles)
    this.pending = { periodsPerYear, timeframeMs, paperReturnPct, windowStartTs, lastBarTs, bars: this.bars };
  }

  /** The stored form; `keepPortfolio` false for members that left (their curve is dropped too). */
  toState(timeframeMs: number, frameTs: BoundedSeries, keepPortfolio = true): TrackState {
    return {
      enteredAt: this.enteredAt,
      bars: this.bars,
      hours: this.hours(timeframeMs),
      startingEquity: this.startingEquity,
      windowStartTs: this.windowStartTs(frameTs),
      portfolio: keepPortfolio ? snapshotPortfolio(this.portfolio) : null,
      equity: keepPortfolio ? this.curve.toArray() : [this.curve.last],
      metrics: this.metrics,
    };
  }
}

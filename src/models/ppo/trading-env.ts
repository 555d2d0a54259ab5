// The PPO training environment: frames of a market stepped through the one shared Simulator.
import { ConfigError, ModelError } from '../../core/errors.js';
import {
  buildObservation,
  createFeatureStore,
  type FeatureStore,
  firstObservableIndex,
  type Normalisation,
  type ObservationSpec,
  observationSize,
  updateFeatures,
} from '../../features/index.js';
import type { MarketData } from '../../market/market-data.js';
import {
  createPortfolio,
  type Decider,
  PolicyStepper,
  type PortfolioState,
  type SimConfig,
  Simulator,
} from '../../sim/index.js';

/** What `TradingEnv` is built from. */
export interface TradingEnvOptions {
  readonly market: MarketData;
  /** First frame the episode may start at (the start is the first observable frame >= from). */
  readonly from: number;
  /** End frame, exclusive: the last reward is earned at the close of frame to - 1. */
  readonly to: number;
  /** Symbols (must be the market's, in its order), features and lookback of the observation. */
  readonly spec: ObservationSpec;
  /** Normalisation fitted on the training range only. */
  readonly norm: Normalisation;
  readonly simConfig: Readonly<SimConfig>;
  /** Penalty per unit of drawdown fraction from the episode's peak equity. Default 0. */
  readonly drawdownPenalty?: number;
  /** Penalty per unit of turnover (traded notional / equity). Default 0. */
  readonly turnoverPenalty?: number;
  /** A feature store of `market` with the spec's features, computed through `to` (else one is built). */
  readonly store?: FeatureStore;
}

/** The outcome of one `step`; the env reuses one object, so read it before the next step. */
export interface EnvStep {
  /** log(equity_{t+1} / equity_t) - drawdownPenalty x drawdown - turnoverPenalty x turnover. */
  reward: number;
  /** log(equity_{t+1} / equity_t), equity marked at closes before trading, costs included. */
  logReturn: number;
  /** 1 - equity_{t+1} / peak equity of the episode. */
  drawdown: number;
  /** Notional traded at frame t / equity at frame t. */
  turnover: number;
  /** The episode is over (frame to - 1 reached, or equity gone): call `reset`. */
  done: boolean;
  /** Done because the range ended (a time limit: the value of the last observation is still defined). */
  truncated: boolean;
}

/**
 * A trading episode over frames [from, to) of one market. The agent observes frame t (portfolio weights
 * marked at close t, then the normalised feature window), sends target weights, and they are traded at
 * close t through the one policy step (PolicyStepper, as everywhere else); the reward is the log return of
 * equity from close t to close t + 1, net of fees and slippage, minus the optional penalties. All fills,
 * fees, caps and overlays come from `src/sim`. Allocates nothing per step.
 */
export class TradingEnv {
  readonly market: MarketData;
  readonly spec: ObservationSpec;
  readonly norm: Normalisation;
  readonly store: FeatureStore;
  readonly sim: Simulator;
  private readonly stepper: PolicyStepper;
  /** The agent's targets of the current step, handed to the policy step as its decision. */
  private action: Float64Array | null = null;
  private readonly agent: Decider = {
    decide: (_ctx, out) => out.set(this.action!),
  };
  /** First frame of every episode: the first observable frame >= from. */
  readonly start: number;
  readonly to: number;
  /** Steps in a full episode: to - 1 - start. */
  readonly episodeSteps: number;
  /** Length of an observation. */
  readonly observationSize: number;
  /** Target weights per step: one per symbol (cash is the rest). */
  readonly actionSize: number;
  /** The current observation, overwritten in place by `reset` and `step`. */
  readonly observation: Float64Array;
  private readonly config: Readonly<SimConfig>;
  private readonly drawdownPenalty: number;
  private readonly turnoverPenalty: number;
  private readonly weights: Float64Array;
  private readonly result: EnvStep = {
    reward: 0,
    logReturn: 0,
    drawdown: 0,
    turnover: 0,
    done: true,
    truncated: false,
  };
  private portfolioState: PortfolioState;
  private frame: number;
  private equityNow = 0;
  private peak = 0;

  /** Throws ModelError when the spec's symbols are not the market's, ConfigError for an empty range. */
  constructor(options: TradingEnvOptions) {
    const { market, spec, from, to } = options;
    const same =
      spec.symbols.length === market.symbols.length && spec.symbols.every((s, i) => s === market.symbols[i]);
    if (!same)
      throw new ModelError(
        'ENV_SYMBOLS_MISMATCH',
        `observation symbols [${spec.symbols.join(', ')}] must be the market's [${market.symbols.join(', ')}] in order`,
        { expected: market.symbols, found: spec.symbols },
      );
    this.start = Math.max(from, firstObservableIndex(spec));
    if (!Number.isInteger(from) || !Number.isInteger(to) || to > market.length || this.start >= to - 1)
      throw new ConfigError(
        'ENV_RANGE_INVALID',
        `environment range [${from}, ${to}) must lie in [0, ${market.length}] and hold at least 2 frames from the first observable frame ${this.start}`,
        { from, to, start: this.start, frames: market.length },
      );
    this.market = market;
    this.spec = spec;
    this.norm = options.norm;
    this.config = options.simConfig;
    this.to = to;
    this.episodeSteps = to - 1 - this.start;
    this.drawdownPenalty = options.drawdownPenalty ?? 0;
    this.turnoverPenalty = options.turnoverPenalty ?? 0;
    this.store = options.store ?? createFeatureStore(market, spec.features, market.length);
    if (this.store.length < to) updateFeatures(this.store, market);
    this.sim = new Simulator(this.config, market.symbols, market.timeframeMs);
    this.stepper = new PolicyStepper(this.sim);
    this.observationSize = observationSize(spec);
    this.actionSize = market.symbols.length;
    this.observation = new Float64Array(this.observationSize);
    this.weights = new Float64Array(this.actionSize + 1);
    this.portfolioState = createPortfolio(market.symbols, this.config.initialCash);
    this.frame = this.start;
  }

  /** The frame the current observation belongs to. */
  get t(): number {
    return this.frame;
  }

  /** Equity marked at the close of the current frame, before trading. */
  get equity(): number {
    return this.equityNow;
  }

  /** The episode's portfolio (read it, do not change it). */
  get portfolio(): PortfolioState {
    return this.portfolioState;
  }

  /** Starts an episode with a fresh all-cash portfolio at `start`; returns the (reused) observation. */
  reset(): Float64Array {
    this.portfolioState = createPortfolio(this.market.symbols, this.config.initialCash);
    this.frame = this.start;
    this.equityNow = this.sim.mark(this.portfolioState, this.market, this.frame, this.weights);
    this.peak = this.equityNow;
    this.result.done = false;
    this.result.truncated = false;
    buildObservation(this.store, this.spec, this.norm, this.frame, this.weights, this.observation);
    return this.observation;
  }

  /**
   * Trades `targets` (one weight per symbol) at the close of the current frame, moves to the next frame
   * and observes it. Invalid targets are refused by the simulator (positions held), as everywhere else.
   * Throws ModelError (ENV_DONE) when called on a finished episode without `reset`.
   */
  step(targets: Float64Array): EnvStep {
    const p = this.portfolioState;
    const r = this.result;
    if (r.done) throw new ModelError('ENV_DONE', 'the episode is over: call reset() before step()');
    const before = this.equityNow;
    const tradedBefore = p.tradedNotional;
    this.action = targets;
    this.stepper.step(p, this.market, this.frame, this.agent);
    const turnover = (p.tradedNotional - tradedBefore) / before;
    this.frame++;
    const after = this.sim.mark(p, this.market, this.frame, this.weights);
    if (after > this.peak) this.peak = after;
    const broke = !(after > 0);
    r.logReturn = broke ? Math.log(Number.MIN_VALUE) : Math.log(after / before);
    r.drawdown = broke ? 1 : 1 - after / this.peak;
    r.turnover = turnover;
    r.reward = r.logReturn - this.drawdownPenalty * r.drawdown - this.turnoverPenalty * turnover;
    r.truncated = !broke && this.frame >= this.to - 1;
    r.done = broke || r.truncated;
    this.equityNow = after;
    if (!broke)
      buildObservation(this.store, this.spec, this.norm, this.frame, this.weights, this.observation);
    return r;
  }
}

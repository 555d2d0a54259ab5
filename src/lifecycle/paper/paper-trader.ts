// The paper trader: steps the deployed model on every closed frame through the shared simulator, crash-safe.
import { StateError } from '../../core/errors.js';
import { hoursToBars } from '../../core/timeframe.js';
import { assertPolicyFits, type Policy } from '../../models/index.js';
import {
  createPortfolio,
  type Fill,
  PolicyStepper,
  type PortfolioSnapshot,
  type PortfolioState,
  restorePortfolio,
  Simulator,
  type StepDecision,
  type StepListener,
  snapshotPortfolio,
} from '../../sim/index.js';
import { directStateStore, readJsonFile, type StateStore } from '../../state/index.js';
import type { FrameEvent, FrameService, ModelRef, PaperControl } from '../contracts.js';
import { copyModelRef } from '../model-ref.js';
import type { EquityHistory } from './equity-history.js';
import { repairJournals } from './journals.js';
import { DEFAULT_HISTORY_HOURS, loadModel, type PaperTraderOptions } from './paper-options.js';
import { paperPaths } from './paper-paths.js';
import {
  buildPaperState,
  type ModelProblem,
  type PaperPosition,
  type PaperState,
  PaperStateSchema,
  type TradeLine,
} from './paper-state.js';

interface Restored {
  readonly portfolio: PortfolioState;
  readonly model: ModelRef | null;
  readonly policy: Policy | null;
  readonly modelError: ModelProblem | null;
  readonly lastBarTs: number | null;
  readonly equity: number;
  readonly initialEquity: number;
  readonly pendingReset: boolean;
  readonly paused: boolean;
  readonly prices: Float64Array;
  readonly history: EquityHistory;
}

/**
 * The paper trader (FrameService + PaperControl). Per frame: the deployed policy decides at the close
 * through the shared simulator (no model: it holds); fills go to trades.jsonl, one equity line to
 * equity.jsonl, then positions_state.json is written LAST, all through the store. With the default store
 * each write lands at once and the state file commits the frame: a crash before it makes the restart drop
 * the journal lines and apply the frame again, exactly once. With the engine's StateTransaction the three
 * land together at its commit, with the other services' files.
 * An I/O error while applying a frame propagates; the in-memory portfolio is then ahead of the files, so
 * the trader must be re-opened from disk (the supervisor's restart), never stepped on.
 */
export class PaperTrader implements FrameService, PaperControl {
  private readonly paths: ReturnType<typeof paperPaths>;
  private readonly stepper: PolicyStepper;
  private readonly fills: Fill[] = [];
  private readonly refusals: string[] = [];
  private readonly listener: StepListener;
  private readonly portfolio: PortfolioState;
  private readonly prices: Float64Array;
  private readonly history: EquityHistory;
  private readonly store: StateStore;
  private modelRef: ModelRef | null;
  private policy: Policy | null;
  private unavailable: ModelProblem | null;
  private last: number | null;
  private lastEquity: number;
  private reset: boolean;
  private pausedFlag: boolean;

  private constructor(
    private readonly options: PaperTraderOptions,
    restored: Restored,
  ) {
    this.paths = paperPaths(options.root);
    this.store = options.store ?? directStateStore;
    this.stepper = new PolicyStepper(
      options.simulator ?? new Simulator(options.simConfig, options.symbols, options.timeframeMs),
    );
    this.listener = {
      onFill: (fill) => this.fills.push(fill),
      onReject: (_ts, reason) => this.refusals.push(reason),
      onOverlay: options.onOverlay,
    };
    this.portfolio = restored.portfolio;
    this.prices = restored.prices;
    this.history = restored.history;
    this.modelRef = restored.model;
    this.policy = restored.policy;
    this.unavailable = restored.modelError;
    this.last = restored.lastBarTs;
    this.lastEquity = restored.equity;
    this.reset = restored.pendingReset;
    this.pausedFlag = restored.paused;
  }

  /**
   * Opens the paper trader of a workspace: restores positions_state.json (a file that fails validation
   * is refused with a StateError naming the file and field, and left untouched), repairs the journals
   * (see repairJournals) and reloads the stored model with `loadPolicy`. A model that no longer loads is
   * logged as an error and the trader holds its positions until `setModel` gives it another one.
   */
  static open(options: PaperTraderOptions): PaperTrader {
    const paths = paperPaths(options.root);
    const state = readJsonFile(paths.state, PaperStateSchema);
    if (state && state.symbols.join('\u0000') !== options.symbols.join('\u0000'))
      throw new StateError(
        'PAPER_STATE_SYMBOLS',
        `${paths.state}: field "symbols": the file is for [${state.symbols.join(', ')}] but the market is [${options.symbols.join(', ')}]`,
        { path: paths.state },
      );
    const initialEquity = state?.initialEquity ?? options.initialCash ?? options.simConfig.initialCash;
    const portfolio = state
      ? restorePortfolio(state.portfolio, options.symbols, paths.state)
      : createPortfolio(options.symbols, initialEquity);
    const capacity = hoursToBars(options.historyHours ?? DEFAULT_HISTORY_HOURS, options.timeframeMs) + 1;
    const committed = {
      lastBarTs: state?.lastBarTs ?? null,
      firstBarTs: state?.firstBarTs ?? null,
      equity: state?.equity ?? initialEquity,
      initialEquity,
      journals: state?.journals,
    };
    const repair = repairJournals(paths, committed, capacity);
    const prices = new Float64Array(options.symbols.length).fill(Number.NaN);
    for (const pos of state?.positions ?? []) prices[options.symbols.indexOf(pos.symbol)] = pos.marketPrice;
    const model = state?.model ? copyModelRef(state.model) : null;
    const loaded = loadModel(model, options);
    const { policy } = loaded;
    // the same error as recorded keeps its first bar; a new one starts at the next frame held
    const modelError: ModelProblem | null =
      loaded.modelError === null
        ? null
        : {
            message: loaded.modelError,
            sinceBarTs: state?.modelError?.message === loaded.modelError ? state.modelError.sinceBarTs : null,
          };
    const trader = new PaperTrader(options, {
      portfolio,
      model,
      policy,
      modelError,
      lastBarTs: committed.lastBarTs,
      equity: committed.equity,
      initialEquity,
      pendingReset: state?.pendingReset ?? false,
      paused: state?.paused ?? false,
      prices,
      history: repair.history,
    });
    const fields = { barTs: committed.lastBarTs, modelId: model?.modelId ?? null, equity: committed.equity };
    if (state && state.journals === undefined) {
      // written before journals were marked: they are adopted as they are, and marked from now on
      trader.writeState();
      options.logger.warn('journals adopted as they are (the state file recorded no marks)', fields);
    }
    if (modelError !== null)
      options.logger.error('deployed model cannot be loaded; holding positions', {
        ...fields,
        modelError: modelError.message,
      });
    options.logger.info(state ? 'paper trader restored' : 'paper trader started', {
      ...fields,
      cash: portfolio.cash,
      droppedTrades: repair.droppedTrades,
      droppedEquity: repair.droppedEquity,
    });
    return trader;
  }

  get lastBarTs(): number | null {
    return this.last;
  }

  get model(): ModelRef | null {
    return this.modelRef;
  }

  get equity(): number {
    return this.lastEquity;
  }

  /** Hours of equity history kept for returnSince. */
  get historyHours(): number {
    return this.options.historyHours ?? DEFAULT_HISTORY_HOURS;
  }

  /** Equity before the first frame ever applied. */
  get initialEquity(): number {
    return this.history.initialEquity;
  }

  get cash(): number {
    return this.portfolio.cash;
  }

  /** Why the deployed model cannot be loaded (null when it loaded or was replaced). */
  get modelError(): string | null {
    return this.unavailable?.message ?? null;
  }

  /**
   * The deployed model that cannot be loaded, with why and the first frame held because of it (null when
   * the model trades): the trader holds its positions and says so on every frame, in its state file, its
   * log, status, the dashboard, /metrics and a notification.
   */
  get modelProblem(): ModelProblem | null {
    return this.unavailable;
  }

  /** True between `setModel(..., { resetPositions: true })` and the frame that liquidates. */
  get pendingReset(): boolean {
    return this.reset;
  }

  /** Open positions as written to positions_state.json. */
  positions(): readonly PaperPosition[] {
    return this.state().positions;
  }

  /** The simulator portfolio's exact snapshot (a copy). */
  portfolioSnapshot(): PortfolioSnapshot {
    return snapshotPortfolio(this.portfolio);
  }

  /** The content positions_state.json has (or would have) now. */
  state(): PaperState {
    return buildPaperState({
      model: this.modelRef,
      lastBarTs: this.last,
      firstBarTs: this.history.firstBarTs,
      initialEquity: this.history.initialEquity,
      equity: this.lastEquity,
      pendingReset: this.reset,
      paused: this.pausedFlag,
      portfolio: this.portfolio,
      prices: this.prices,
      updatedAt: this.options.now(),
      modelError: this.unavailable,
    });
  }

  /** Applies a frame after lastBarTs (see the class doc); returns false for a frame already applied. */
  onFrame(frame: FrameEvent): boolean {
    if (this.last !== null && frame.ts <= this.last) return false;
    this.stepper.checkFrame(frame.market, frame.t, frame.ts);
    const decision: StepDecision = this.reset
      ? 'liquidate'
      : this.policy && !this.pausedFlag
        ? this.policy
        : 'hold';
    this.fills.length = 0;
    this.refusals.length = 0;
    const equity = this.stepper.step(this.portfolio, frame.market, frame.t, decision, this.listener);
    const modelId = this.modelRef?.modelId ?? null;
    const barTs = frame.ts;
    this.store.append(
      this.paths.trades,
      this.fills.map((f): TradeLine => ({ ...f, modelId, barTs })),
    );
    this.store.append(this.paths.equity, [{ ts: barTs, equity, modelId }]);
    const n = this.prices.length;
    const close = frame.market.close;
    for (let i = 0; i < n; i++) this.prices[i] = close[frame.t * n + i]!;
    this.last = barTs;
    this.lastEquity = equity;
    this.history.push(barTs, equity);
    const liquidated = decision === 'liquidate';
    this.reset = false;
    if (this.unavailable !== null && this.unavailable.sinceBarTs === null)
      this.unavailable = { ...this.unavailable, sinceBarTs: barTs };
    this.writeState();
    this.logFrame(barTs, modelId, equity, liquidated);
    return true;
  }

  /**
   * Swaps the policy from the next frame on; cash and positions are untouched. The state file is
   * written at once, so a restart keeps the new model. `resetPositions` makes the next frame liquidate
   * everything at its close (the new model decides from the frame after). Throws ModelError when the
   * policy's symbols differ from the trader's.
   */
  setModel(ref: ModelRef, policy: Policy, options: { resetPositions?: boolean } = {}): void {
    assertPolicyFits(policy, this.options.symbols, ref.modelId);
    const previous = this.swapModel(ref, policy, null, options);
    this.options.logger.info('model swapped', {
      barTs: this.last,
      from: previous,
      modelId: ref.modelId,
      trainingScore: ref.trainingScore,
      resetPositions: this.reset,
      cash: this.portfolio.cash,
      equity: this.lastEquity,
      positions: this.positions().map((p) => ({ symbol: p.symbol, quantity: p.quantity })),
    });
  }

  /**
   * Deploys a model whose policy cannot be loaded (`reason`): the trader records it as deployed and holds
   * its positions from the next frame on, reporting the model on every frame until a loadable one is set.
   */
  setUnavailableModel(ref: ModelRef, reason: string, options: { resetPositions?: boolean } = {}): void {
    const previous = this.swapModel(ref, null, { message: reason, sinceBarTs: null }, options);
    this.options.logger.error('deployed model cannot be loaded; holding positions', {
      barTs: this.last,
      from: previous,
      modelId: ref.modelId,
      modelError: reason,
    });
  }

  /** Whether the operator paused trading (the model is not asked; positions are held and marked). */
  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Pauses or resumes trading from the next frame on; recorded in positions_state.json. */
  setPaused(paused: boolean): void {
    if (paused === this.pausedFlag) return;
    this.pausedFlag = paused;
    this.writeState();
    this.options.logger.info(paused ? 'trading paused by the operator' : 'trading resumed by the operator', {
      barTs: this.last,
      modelId: this.modelRef?.modelId ?? null,
      equity: this.lastEquity,
    });
  }

  /** Return in percent over (windowStartTs, lastBarTs] (see EquityHistory.returnSince); null if not covered. */
  returnSince(windowStartTs: number): number | null {
    return this.history.returnSince(windowStartTs);
  }

  /** Equity after the last frame before `ts` (the initial equity for the first frame); null if no longer kept. */
  equityBefore(ts: number): number | null {
    return this.history.equityBefore(ts);
  }

  /** Built when the store writes (at once, or at the transaction's commit): always the latest state. */
  /**
   * The swap both deployments share: records `ref` (with its policy, or the problem that it has none), keeps
   * a pending reset, and writes the state at once. Returns the id of the model it replaced.
   */
  private swapModel(
    ref: ModelRef,
    policy: Policy | null,
    unavailable: ModelProblem | null,
    options: { resetPositions?: boolean },
  ): string | null {
    const previous = this.modelRef?.modelId ?? null;
    this.modelRef = copyModelRef(ref);
    this.policy = policy;
    this.unavailable = unavailable;
    this.reset = this.reset || options.resetPositions === true;
    this.writeState();
    return previous;
  }

  private writeState(): void {
    this.store.writeJson(this.paths.state, PaperStateSchema, () => ({
      ...this.state(),
      journals: {
        trades: this.store.journalMark(this.paths.trades),
        equity: this.store.journalMark(this.paths.equity),
      },
    }));
  }

  private logFrame(barTs: number, modelId: string | null, equity: number, liquidated: boolean): void {
    const log = this.options.logger;
    if (this.unavailable !== null)
      log.error('deployed model cannot be loaded; holding positions', {
        barTs,
        modelId,
        modelError: this.unavailable.message,
        sinceBarTs: this.unavailable.sinceBarTs,
      });
    for (const reason of this.refusals)
      log.warn('policy output refused; positions held', { barTs, modelId, reason });
    for (const f of this.fills)
      log.info('fill', {
        barTs,
        modelId,
        symbol: f.symbol,
        side: f.side,
        quantity: f.quantity,
        price: f.price,
        fee: f.fee,
        reason: f.reason,
      });
    log.info(liquidated ? 'positions reset (liquidated)' : 'bar applied', {
      barTs,
      modelId,
      equity,
      cash: this.portfolio.cash,
      fills: this.fills.length,
    });
  }
}

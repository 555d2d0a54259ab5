// The live FrameFeed: polls an exchange after each bar close and releases complete closed frames, in order,
// once each; backfills every missed frame on start and after an outage.
import { ConfigError } from '../../core/errors.js';
import type { ServiceLogger } from '../../core/logger.js';
import { timeframeToMs } from '../../core/timeframe.js';
import type { Bar } from '../../market/bar.js';
import { appendFrame, createMarketData, isoTs } from '../../market/market-data.js';
import type { FrameEvent, FrameFeed } from '../frame-feed.js';
import { backoffDelayMs } from './backoff.js';
import { alignToGrid, lastClosedBarTs } from './closed-bars.js';
import type { ExchangeClient } from './exchange-client.js';
import { type RetryPolicy, RetryPolicySchema } from './exchange-config.js';
import { retryableKind } from './exchange-errors.js';
import { fetchClosedCandles } from './fetch-candles.js';
import { assembleFrames } from './frame-assembly.js';
import type { RetryContext } from './retry.js';
import { withRetry, withStartupDeadline } from './retry.js';

/** Default of LiveFeedOptions.startupDeadlineMs (exchange.startupDeadlineSeconds). */
export const DEFAULT_STARTUP_DEADLINE_MS = 300_000;

export interface LiveFeedOptions {
  readonly client: ExchangeClient;
  /** The universe in frame order (ccxt symbols, `BTC/USDT`). */
  readonly symbols: readonly string[];
  /** `15m`, `1h`, `1d`: bars on the epoch-aligned grid (weekly bars are refused). */
  readonly timeframe: string;
  /**
   * Open time of the last frame the services applied (the earliest `lastBarTs` among them), or null for a
   * fresh start. Frames after it are backfilled, then live ones follow; null starts after the latest
   * closed bar.
   */
  readonly resumeAfterTs: number | null;
  /** Closed frames up to the resume point (or the latest closed bar) loaded into `market` without events. */
  readonly warmupBars: number;
  /** Wait after a bar's close before polling for it, ms. */
  readonly pollDelayMs: number;
  /** Interval between polls while a closed frame lacks a bar, ms (default 15 000). */
  readonly repollMs?: number;
  /** How long after its close a frame may lack a bar before it is logged and skipped, ms. */
  readonly missingBarDeadlineMs: number;
  /** Retries of each request (default: RetryPolicySchema's defaults). */
  readonly retry?: RetryPolicy;
  /**
   * How long start-up (the market check and the warm-up) keeps trying an exchange that answers with
   * retryable failures after each request's retries are spent, ms (default 300 000; 0: no more tries).
   */
  readonly startupDeadlineMs?: number;
  readonly logger: ServiceLogger;
  /** Wall clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  /** Waits `ms` (default a timer). Tests pass one that advances a fake clock. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source, uniform in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

/**
 * A FrameFeed whose `next()` waits for bar closes; `close()` ends a waiting `next()` with null. A frame
 * already fetched (a backfill) is returned synchronously, a wait for the exchange as a promise: the
 * supervisor commits state before awaiting one, so a backfill runs at replay pace.
 */
export interface LiveFeed extends FrameFeed {
  next(): FrameEvent | null | Promise<FrameEvent | null>;
  close(): void;
}

interface PendingFrame {
  readonly ts: number;
  readonly bars: readonly Bar[];
}

/** A timer that close() clears: a stopped feed must not keep the process alive until the next bar. */
const realSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort); // hours of polls must not pile up listeners
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Checks the exchange serves the symbols and timeframe, loads the warm-up frames, and returns the feed.
 * Throws ConfigError for a symbol or timeframe the exchange does not offer, and the last retryable
 * DataError (EXCHANGE_*) when the exchange cannot be reached by the start-up deadline (each request's
 * retries, then more, logged, until `startupDeadlineMs` has passed). Once
 * running, `next()` never gives up on an unreachable exchange: it logs, waits, polls again, and backfills.
 * `next()` must not be called again before the previous call settled.
 */
export async function createLiveFeed(options: LiveFeedOptions): Promise<LiveFeed> {
  const { client, symbols, timeframe, logger } = options;
  if (/w$/.test(timeframe))
    throw new ConfigError(
      'TIMEFRAME_UNSUPPORTED',
      `the live feed needs bars of minutes, hours or days, was "${timeframe}"`,
      {
        timeframe,
      },
    );
  const timeframeMs = timeframeToMs(timeframe);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const policy = options.retry ?? RetryPolicySchema.parse({});
  const repollMs = options.repollMs ?? 15_000;
  const deadlineMs = options.missingBarDeadlineMs;

  const abort = new AbortController();
  const closedSignal = new Promise<void>((resolve) =>
    abort.signal.addEventListener('abort', () => resolve()),
  );
  /** Sleeps (at most ~24 days: a timer's limit; the loop then looks again), waking at once on close(). */
  const wait = (ms: number) =>
    Promise.race([sleep(Math.min(Math.max(1, ms), 2 ** 31 - 1), abort.signal), closedSignal]);
  const retry: RetryContext = {
    policy,
    minDelayMs: client.rateLimitMs,
    sleep: wait,
    random: options.random ?? Math.random,
    logger,
    signal: abort.signal,
  };

  const startup = {
    ...retry,
    now,
    startedMs: now(),
    deadlineMs: options.startupDeadlineMs ?? DEFAULT_STARTUP_DEADLINE_MS,
  };
  await withStartupDeadline(
    'checking the market',
    () => withRetry(() => client.checkMarket(symbols, timeframe), retry),
    startup,
  );

  const loggedForming = new Set<number>();
  const loggedInvalid = new Map<string, number>(); // key -> bar time

  /** Closed candles of every symbol over [fromTs, toTs], logging the forming ones dropped. */
  const fetchAll = async (fromTs: number, toTs: number, nowMs: number, context: RetryContext = retry) => {
    const candles: Map<number, Bar>[] = [];
    const forming = new Map<number, string[]>();
    let unplaced = 0;
    for (const symbol of symbols) {
      const got = await fetchClosedCandles(
        client,
        { symbol, timeframe, timeframeMs, fromTs, toTs, nowMs },
        context,
      );
      candles.push(got.closed);
      unplaced += got.unplaced;
      for (const ts of got.formingTs) forming.set(ts, [...(forming.get(ts) ?? []), symbol]);
    }
    for (const [ts, which] of forming) {
      if (loggedForming.has(ts)) continue;
      loggedForming.add(ts);
      logger.info(`ignored forming candle at ${isoTs(ts)} (not closed yet) of ${which.join(', ')}`, {
        formingTs: ts,
        symbols: which,
      });
    }
    if (unplaced > 0) logger.warn(`ignored ${unplaced} candle(s) without a valid open time`, { unplaced });
    return candles;
  };

  const logInvalid = (bars: readonly { symbol: string; ts: number; problem: string }[]) => {
    for (const bad of bars) {
      const key = `${bad.symbol}@${bad.ts}:${bad.problem}`;
      if (loggedInvalid.has(key)) continue;
      loggedInvalid.set(key, bad.ts);
      logger.warn(`invalid bar ignored: ${bad.symbol} at ${isoTs(bad.ts)}: ${bad.problem}`, {
        barTs: bad.ts,
        symbol: bad.symbol,
        problem: bad.problem,
      });
    }
  };

  // Warm-up: the frames up to the resume point (or the latest closed bar), history for the indicators.
  const startMs = now();
  const lastClosed = lastClosedBarTs(startMs, timeframeMs);
  const resumeAt = options.resumeAfterTs === null ? null : alignToGrid(options.resumeAfterTs, timeframeMs);
  const anchor = resumeAt === null ? lastClosed : Math.min(resumeAt, lastClosed);
  const market = createMarketData(symbols, timeframeMs, Math.max(1, options.warmupBars) + 256);
  if (options.warmupBars > 0) {
    const fromTs = anchor - (options.warmupBars - 1) * timeframeMs;
    const candles = await withStartupDeadline(
      'loading the warm-up',
      () => fetchAll(fromTs, anchor, startMs),
      startup,
    );
    // History is what it is: an incomplete past frame is dropped at once (no deadline to wait for).
    const assembly = assembleFrames({
      symbols,
      candles,
      fromTs,
      toTs: anchor,
      timeframeMs,
      nowMs: startMs,
      deadlineMs: 0,
    });
    for (const d of assembly.decisions) if (d.kind === 'frame') appendFrame(market, d.ts, d.bars);
    const dropped = assembly.decisions.length - market.length;
    logger.info(
      `warm-up: ${market.length} closed frame(s) loaded up to ${isoTs(anchor)}` +
        (dropped > 0 ? `, ${dropped} incomplete frame(s) left out` : ''),
      { warmupFrames: market.length, droppedFrames: dropped, anchorTs: anchor },
    );
  }

  let cursor = (resumeAt ?? lastClosed) + timeframeMs; // the next frame to decide
  const queue: PendingFrame[] = [];
  let outageSinceMs: number | null = null;
  let closed = false;
  logger.info(
    `live feed started: ${client.exchangeId} ${symbols.join(', ')} ${timeframe}, first frame ${isoTs(cursor)}` +
      (resumeAt === null ? ' (fresh start)' : ` (resuming after ${isoTs(resumeAt)})`),
    {
      exchange: client.exchangeId,
      symbols: [...symbols],
      timeframe,
      firstTs: cursor,
      resumeAfterTs: resumeAt,
    },
  );

  // While the exchange is down, each poll makes one attempt per request and the polls themselves back off
  // (up to retry.maxDelayMs): one line per failed request would flood the log over an outage of hours.
  const singleAttempt: RetryContext = { ...retry, policy: { ...policy, maxAttempts: 1 } };
  let failedPolls = 0;

  /** One poll of frames [cursor, toTs]: queues complete ones, skips expired ones; null if the exchange failed. */
  const poll = async (toTs: number, nowMs: number): Promise<{ waitingAt: number | null } | null> => {
    let candles: Map<number, Bar>[];
    try {
      candles = await fetchAll(cursor, toTs, nowMs, outageSinceMs === null ? retry : singleAttempt);
    } catch (error) {
      if (closed || retryableKind(error) === null) throw error;
      failedPolls++;
      outageSinceMs ??= nowMs;
      if (failedPolls === 1 || failedPolls % 10 === 0)
        logger.warn(
          `exchange ${failedPolls === 1 ? 'unreachable' : `still unreachable after ${failedPolls} polls`}: ${(error as Error).message}; ` +
            'polling again with backoff, missed bars are backfilled once it answers',
          { outageSinceMs, failedPolls, pendingFromTs: cursor, error: (error as Error).message },
        );
      return null;
    }
    failedPolls = 0;
    if (outageSinceMs !== null) {
      logger.info(
        `exchange reachable again after an outage of ${Math.round((nowMs - outageSinceMs) / 1000)} s; backfilling from ${isoTs(cursor)}`,
        { outageSinceMs, backfillFromTs: cursor },
      );
      outageSinceMs = null;
    }
    const assembly = assembleFrames({
      symbols,
      candles,
      fromTs: cursor,
      toTs,
      timeframeMs,
      nowMs,
      deadlineMs,
    });
    logInvalid(assembly.invalid);
    let frames = 0;
    for (const d of assembly.decisions) {
      if (d.kind === 'frame') {
        queue.push(d);
        frames++;
      } else {
        const why = [
          ...d.missing.map((s) => `${s} missing`),
          ...d.invalid.map((b) => `${b.symbol} invalid (${b.problem})`),
        ].join(', ');
        logger.warn(
          `frame ${isoTs(d.ts)} skipped: ${why} past the ${Math.round(deadlineMs / 1000)} s deadline`,
          {
            barTs: d.ts,
            missing: d.missing,
            invalid: d.invalid.map((b) => b.symbol),
          },
        );
      }
      cursor = d.ts + timeframeMs;
    }
    if (frames > 1) {
      const range = queue.slice(-frames);
      logger.info(
        `backfilling ${frames} missed closed frame(s) ${isoTs(range[0]!.ts)} .. ${isoTs(range[range.length - 1]!.ts)}`,
        { backfillFrames: frames, fromTs: range[0]!.ts, toTs: range[range.length - 1]!.ts },
      );
    }
    // Forget log keys of decided frames: the sets stay small however long the feed runs.
    for (const ts of loggedForming) if (ts < cursor - timeframeMs) loggedForming.delete(ts);
    for (const [key, ts] of loggedInvalid) if (ts < cursor) loggedInvalid.delete(key);
    return { waitingAt: assembly.waitingAt };
  };

  const release = (frame: PendingFrame): FrameEvent => {
    appendFrame(market, frame.ts, frame.bars);
    const t = market.length - 1;
    logger.info(`frame ${isoTs(frame.ts)} closed`, { barTs: frame.ts, frame: t });
    return { market, t, ts: frame.ts };
  };

  const step = async (): Promise<FrameEvent | null> => {
    for (;;) {
      if (closed) return null;
      const pending = queue.shift();
      if (pending !== undefined) return release(pending);
      const nowMs = now();
      const pollAt = cursor + timeframeMs + options.pollDelayMs; // the cursor bar's close, plus the delay
      if (nowMs < pollAt) {
        await wait(pollAt - nowMs);
        continue;
      }
      // Up to the latest bar whose close is `pollDelayMs` old: the exchange has had time to finalise it.
      const result = await poll(lastClosedBarTs(nowMs - options.pollDelayMs, timeframeMs), nowMs);
      if (closed) return null;
      if (result === null)
        await wait(
          backoffDelayMs(failedPolls + policy.maxAttempts - 1, policy, retry.random, client.rateLimitMs),
        );
      else if (queue.length === 0 && result.waitingAt !== null) {
        const expires = result.waitingAt + timeframeMs + deadlineMs;
        await wait(Math.min(repollMs, expires - now()));
      }
    }
  };

  return {
    market,
    kind: 'live',
    next() {
      if (closed) return null;
      const pending = queue.shift();
      if (pending !== undefined) return release(pending);
      return Promise.race([step(), closedSignal.then(() => null)]).catch((error: unknown) => {
        if (closed) return null;
        throw error;
      });
    },
    close() {
      if (closed) return;
      closed = true;
      abort.abort();
      logger.info('live feed closed', {});
    },
  };
}

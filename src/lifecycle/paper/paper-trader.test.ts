import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, marketFromCloses, randomWalkCloses } from '../../../test/market-fixtures.js';
import type { MarketData } from '../../market/market-data.js';
import { createBuiltinPolicy, type Policy } from '../../models/index.js';
import { resolveSimConfig } from '../../sim/index.js';
import type { ModelRef } from '../contracts.js';
import { frameAt, memoryLogger, modelRef, policyLoader, replayClock, tempRoot } from '../testing/fixtures.js';
import { paperPaths } from './paper-paths.js';

import { PaperTrader } from './paper-trader.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const market = marketFromCloses(SYMBOLS, randomWalkCloses(3, 40, 5, 0.02));
const simConfig = resolveSimConfig({});
const sma = () => createBuiltinPolicy('builtin:sma-cross?fast=2&slow=5', SYMBOLS);

function open(root: string, clock = replayClock(HOUR_MS), loader = policyLoader({ 'study/1': sma })) {
  const logger = memoryLogger();
  const trader = PaperTrader.open({
    root,
    symbols: SYMBOLS,
    timeframeMs: HOUR_MS,
    simConfig,
    loadPolicy: loader,
    logger,
    now: clock.now,
  });
  const run = (from: number, to: number, m: MarketData = market) => {
    for (let t = from; t < to; t++) {
      const frame = frameAt(m, t);
      clock.advance(frame);
      trader.onFrame(frame);
    }
  };
  return { trader, logger, loader, run, clock };
}

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
const files = (root: string) => {
  const p = paperPaths(root);
  return { state: read(p.state), trades: read(p.trades), equity: read(p.equity) };
};

function deployed(root: string): ModelRef {
  return modelRef(root, 'study/1', 0.5);
}

/** A trader on a fresh workspace that deployed study/1 (an SMA cross) and then applied frames [0, frames). */
function trading(frames: number) {
  const root = tempRoot();
  const opened = open(root);
  opened.trader.setModel(deployed(root), sma());
  opened.run(0, frames);
  return { root, ...opened };
}

describe('PaperTrader', () => {
  it('holds cash without a model, still recording equity every frame', () => {
    const root = tempRoot();
    const { trader, run } = open(root);
    run(0, 3);
    expect(trader.lastBarTs).toBe(market.ts[2]);
    expect(trader.equity).toBe(10_000);
    const lines = files(root)
      .equity.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.ts)).toEqual([market.ts[0], market.ts[1], market.ts[2]]);
    expect(lines.every((l) => l.modelId === null && l.equity === 10_000)).toBe(true);
  });

  it('skips frames already applied', () => {
    const { root, trader } = trading(10);
    const before = files(root);
    expect(trader.onFrame(frameAt(market, 9))).toBe(false);
    expect(trader.onFrame(frameAt(market, 3))).toBe(false);
    expect(files(root)).toEqual(before);
  });

  it('keeps positions and cash identical across setModel, and the next frame is decided by the new model', () => {
    const { root, trader, run } = trading(20);
    const before = { positions: trader.positions(), cash: trader.cash, snapshot: trader.portfolioSnapshot() };
    expect(before.positions.length).toBeGreaterThan(0);
    const calls: number[] = [];
    const next: Policy = {
      ...sma(),
      name: 'spy',
      decide(ctx, out) {
        calls.push(ctx.t);
        out.fill(0);
      },
    };
    const ref = modelRef(root, 'study/2', 0.9);
    trader.setModel(ref, next);
    expect(trader.positions()).toEqual(before.positions);
    expect(trader.cash).toBe(before.cash);
    expect(trader.portfolioSnapshot()).toEqual(before.snapshot);
    const state = JSON.parse(files(root).state);
    expect(state.modelId).toBe('study/2');
    expect(state.positions).toEqual(before.positions);
    run(20, 21);
    expect(calls).toEqual([20]);
    expect(trader.positions()).toEqual([]); // the new model sold everything at frame 20's close
    const trades = files(root)
      .trades.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(trades.filter((t) => t.barTs === market.ts[20]).every((t) => t.modelId === 'study/2')).toBe(true);
  });

  it('keeps the new model across a restart', () => {
    const root = tempRoot();
    const loader = policyLoader({ 'study/1': sma, 'study/2': sma });
    const { trader, run } = open(root, replayClock(HOUR_MS), loader);
    trader.setModel(deployed(root), sma());
    run(0, 5);
    trader.setModel(modelRef(root, 'study/2', 0.9), sma());
    const reopened = open(root, replayClock(HOUR_MS), loader);
    expect(reopened.trader.model?.modelId).toBe('study/2');
    expect(loader.calls).toEqual(['study/2']);
  });

  it('resetPositions liquidates at the next frame, then the new model decides', () => {
    const { root, trader, run } = trading(20);
    expect(trader.positions().length).toBeGreaterThan(0);
    trader.setModel(modelRef(root, 'ensemble/1'), sma(), { resetPositions: true });
    expect(trader.pendingReset).toBe(true);
    run(20, 21);
    expect(trader.positions()).toEqual([]);
    expect(trader.pendingReset).toBe(false);
  });

  it('after a restart continues exactly like an uninterrupted run (byte-identical files)', () => {
    const whole = tempRoot();
    const a = open(whole);
    a.trader.setModel(deployed(whole), sma());
    a.run(0, 40);

    const split = tempRoot();
    const clock = replayClock(HOUR_MS);
    const b = open(split, clock);
    b.trader.setModel(deployed(split), sma());
    b.run(0, 17);
    const c = open(split, clock);
    expect(c.trader.lastBarTs).toBe(market.ts[16]);
    c.run(0, 40); // frames 0..16 are skipped
    const w = files(whole);
    const s = files(split);
    expect(s.trades).toBe(w.trades);
    expect(s.equity).toBe(w.equity);
    expect(s.state.replaceAll(split, '<root>')).toBe(w.state.replaceAll(whole, '<root>'));
    expect(w.trades.split('\n').length).toBeGreaterThan(5);
  });

  it('a crash between the journal append and the state write: the frame is applied again, once', () => {
    const whole = tempRoot();
    const a = open(whole);
    a.trader.setModel(deployed(whole), sma());
    a.run(0, 40);
    const w = files(whole);
    // Find a frame with fills, so the crash leaves trade lines too.
    const crashTs = JSON.parse(w.trades.split('\n')[3]!).barTs as number;
    const k = market.ts.indexOf(crashTs);

    const root = tempRoot();
    const b = open(root);
    b.trader.setModel(deployed(root), sma());
    b.run(0, k);
    const paths = paperPaths(root);
    const linesAt = (text: string, key: string) =>
      text.split('\n').filter((l) => l !== '' && JSON.parse(l)[key] === crashTs);
    appendFileSync(paths.trades, `${linesAt(w.trades, 'barTs').join('\n')}\n`);
    appendFileSync(paths.equity, `${linesAt(w.equity, 'ts').join('\n')}\n{"ts": ${crashTs + HOUR_MS}, "equ`);
    const c = open(root);
    const restored = c.logger.lines.find((l) => l.msg === 'paper trader restored')!;
    expect(restored.fields.droppedTrades).toBe(linesAt(w.trades, 'barTs').length);
    expect(restored.fields.droppedEquity).toBe(2); // the frame's line and the torn one
    c.run(0, 40);
    const s = files(root);
    expect(s.trades).toBe(w.trades);
    expect(s.equity).toBe(w.equity);
    expect(s.state.replaceAll(root, '<root>')).toBe(w.state.replaceAll(whole, '<root>'));
  });

  it('refuses a journal deleted, emptied, torn or edited since the last commit, naming it, and changes nothing', () => {
    const { root } = trading(30);
    const paths = paperPaths(root);
    const good = files(root);
    expect(good.trades.split('\n').length).toBeGreaterThan(3);
    const cases: [keyof typeof good, string | null, RegExp][] = [
      ['trades', null, /trades\.jsonl is missing \(deleted\), the last commit recorded \d+ bytes/],
      ['trades', '', /trades\.jsonl is empty, the last commit recorded/],
      ['trades', good.trades.slice(0, -20), /trades\.jsonl holds \d+ bytes, the last commit recorded/],
      [
        'equity',
        good.equity.replace('"equity":10000', '"equity":10001'),
        /equity\.jsonl: its first \d+ bytes differ/,
      ],
      // a complete line appended for a frame already committed: not a crash's leftover
      [
        'equity',
        `${good.equity}${good.equity.split('\n')[0]}\n`,
        /equity\.jsonl: line 1 after the \d+ bytes of the last commit is not a leftover/,
      ],
    ];
    for (const [journal, text, error] of cases) {
      if (text === null) rmSync(paths[journal]);
      else writeFileSync(paths[journal], text);
      expect(() => open(root)).toThrow(
        expect.objectContaining({ code: 'JOURNAL_MISMATCH', message: expect.stringMatching(error) }),
      );
      expect(read(paths[journal])).toBe(text ?? '');
      expect(read(paths.state)).toBe(good.state);
      writeFileSync(paths[journal], good[journal]);
    }
    // the way out the message names: without marks, the journals are adopted as they are (and marked again)
    writeFileSync(paths.trades, good.trades.split('\n').slice(0, 2).join('\n').concat('\n'));
    const { journals: _marks, ...legacy } = JSON.parse(good.state);
    writeFileSync(paths.state, JSON.stringify(legacy));
    const adopted = open(root);
    expect(adopted.logger.lines.some((l) => l.msg.startsWith('journals adopted'))).toBe(true);
    expect(JSON.parse(read(paths.state)).journals.trades.bytes).toBe(read(paths.trades).length);
    expect(() => open(root)).not.toThrow();
  });

  it('refuses a truncated, hand-edited or mistyped positions_state.json, naming the file and field, untouched', () => {
    const { root } = trading(20);
    const path = paperPaths(root).state;
    const good = readFileSync(path, 'utf8');
    const state = JSON.parse(good);
    expect(state.positions.length).toBeGreaterThan(0);
    const cases: [string, RegExp][] = [
      [good.slice(0, good.length / 2), /positions_state\.json: not valid JSON/],
      [JSON.stringify({ ...state, cash: 'lots' }), /positions_state\.json: field "cash"/],
      [
        JSON.stringify({
          ...state,
          positions: [{ ...state.positions[0], quantity: 99 }, ...state.positions.slice(1)],
        }),
        /positions_state\.json: field "positions\.0\.quantity": must equal the portfolio's quantity/,
      ],
      [JSON.stringify({ ...state, modelId: 'other/9' }), /positions_state\.json: field "modelId"/],
      [JSON.stringify({ ...state, schemaVersion: 2 }), /positions_state\.json: field "schemaVersion"/],
    ];
    for (const [text, error] of cases) {
      writeFileSync(path, text);
      expect(() => open(root)).toThrow(error);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('a deployed model that cannot be loaded: holds, and says so on every frame, dated at the bar, in its state file', () => {
    const { root, trader } = trading(20);
    const held = trader.positions();
    expect(held.length).toBeGreaterThan(0);
    const reopened = open(root, replayClock(HOUR_MS), policyLoader({}));
    expect(reopened.trader.modelError).toMatch(/no model bundle for study\/1/);
    expect(reopened.trader.modelProblem).toEqual({ message: reopened.trader.modelError, sinceBarTs: null });
    reopened.run(20, 23);
    expect(reopened.trader.positions().map((p) => p.quantity)).toEqual(held.map((p) => p.quantity));
    const errors = reopened.logger.lines.filter((l) => l.level === 'error');
    // one at open, then one per frame held, each dated at its bar
    expect(errors.map((l) => l.fields.barTs)).toEqual([
      market.ts[19],
      market.ts[20],
      market.ts[21],
      market.ts[22],
    ]);
    expect(errors.at(-1)!.fields).toMatchObject({ modelId: 'study/1', sinceBarTs: market.ts[20] });
    const stored = JSON.parse(read(paperPaths(root).state));
    expect(stored.modelError).toEqual({ message: reopened.trader.modelError, sinceBarTs: market.ts[20] });
    // a restart keeps the first bar it was held at; a loadable model clears it
    const again = open(root, replayClock(HOUR_MS), policyLoader({}));
    expect(again.trader.modelProblem?.sinceBarTs).toBe(market.ts[20]);
    again.trader.setModel(deployed(root), sma());
    expect(again.trader.modelProblem).toBeNull();
    expect(JSON.parse(read(paperPaths(root).state))).not.toHaveProperty('modelError');
  });

  it('setUnavailableModel deploys a model it cannot load: recorded, positions held from the next frame', () => {
    const { root, trader, run, logger } = trading(20);
    const held = trader.positions().map((p) => p.quantity);
    trader.setUnavailableModel(modelRef(root, 'study/2', 0.9), 'manifest.json: not valid JSON');
    run(20, 22);
    expect(trader.model?.modelId).toBe('study/2');
    expect(trader.positions().map((p) => p.quantity)).toEqual(held);
    expect(trader.modelProblem).toEqual({
      message: 'manifest.json: not valid JSON',
      sinceBarTs: market.ts[20],
    });
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(3);
  });

  it('refuses a model for other symbols', () => {
    const root = tempRoot();
    const { trader } = open(root);
    const other = createBuiltinPolicy('builtin:equal-weight', ['A', 'B', 'C']);
    expect(() => trader.setModel(deployed(root), other)).toThrow(/trades \[A, B, C\] but the market is/);
  });

  it('returnSince measures from the equity after the frame before the window', () => {
    const { root, trader } = trading(30);
    const lines = files(root)
      .equity.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(trader.returnSince(market.ts[0]!)).toBe((lines[29].equity / 10_000 - 1) * 100);
    expect(trader.returnSince(market.ts[10]!)).toBe((lines[29].equity / lines[9].equity - 1) * 100);
    expect(trader.returnSince(market.ts[0]! - HOUR_MS)).toBeNull();
  });
});

describe('PaperTrader paused by the operator', () => {
  it('holds positions while paused (no fills, equity still marked), and the flag survives a restart', () => {
    const root = tempRoot();
    const { trader, run, loader } = open(root);
    trader.setModel(deployed(root), loader(deployed(root)));
    run(0, 20);
    const held = trader.positions().map((p) => [p.symbol, p.quantity]);
    const trades = files(root).trades;
    expect(trades.length).toBeGreaterThan(0);
    trader.setPaused(true);
    run(20, 30);
    expect(files(root).trades).toBe(trades); // the model was not asked: no order
    expect(trader.positions().map((p) => [p.symbol, p.quantity])).toEqual(held);
    expect(trader.lastBarTs).toBe(market.ts[29]);
    const reopened = open(root, replayClock(HOUR_MS), loader);
    expect(reopened.trader.paused).toBe(true);
    expect(JSON.parse(files(root).state).paused).toBe(true);
    reopened.trader.setPaused(false);
    reopened.run(30, 40);
    expect(reopened.trader.paused).toBe(false);
  });
});

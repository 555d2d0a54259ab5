import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { marketFromCloses, randomWalkCloses } from '../../../test/market-fixtures.js';
import { createBuiltinPolicy, type Policy } from '../../models/index.js';
import { resolveSimConfig } from '../../sim/index.js';
import { StateTransaction } from '../../state/index.js';
import { paperPaths } from '../paper/paper-paths.js';
import { modelRef, policyLoader, tempRoot } from '../testing/fixtures.js';
import { openServices, type Services } from '../testing/services.js';
import { arenaPaths } from './arena-paths.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const FRAMES = 60;
const market = marketFromCloses(SYMBOLS, randomWalkCloses(3, FRAMES, 21, 0.02));
const simConfig = resolveSimConfig({ overlays: { stopLossPct: 0.03, minHoldBars: 2 } });
const spec = (s: string) => () => createBuiltinPolicy(`builtin:${s}`, SYMBOLS);
const factories: Record<string, () => Policy> = {
  'study/1': spec('sma-cross?fast=2&slow=6'),
  'study/2': spec('sma-cross?fast=3&slow=10'),
  'study/3': spec('rsi-reversion?period=5&entry=40&exit=60'),
  'study/4': spec('momentum?lookback=8&volWindow=8'),
};

function start(root: string, loader = policyLoader(factories)) {
  return openServices({ root, market, loader, simConfig });
}

/** Deploys study/1 as the champion and offers study/2 to study/4 as challengers. */
function enter<S extends Services>(s: S, root: string): S {
  s.deploy(modelRef(root, 'study/1', 1.5), factories['study/1']!());
  s.arena.offer(['study/2', 'study/3', 'study/4'].map((id, k) => modelRef(root, id, 1 - k / 10)));
  return s;
}

const lifecycle = (root: string) => enter(start(root), root);

/** Both services writing into one StateTransaction (as the engine runs them), committed every `every` frames. */
function startInTransaction(root: string, every: number) {
  const tx = StateTransaction.open(root);
  const s = openServices({ root, market, loader: policyLoader(factories), simConfig, store: tx });
  tx.commit();
  return {
    ...s,
    tx,
    /** Applies frames [from, to), committing after every `every`-th; the frames after the last commit stay pending. */
    run(from: number, to: number) {
      for (let t = from; t < to; t++) {
        s.run(t, t + 1);
        if ((t + 1) % every === 0) tx.commit();
      }
    },
  };
}

const read = (path: string, root: string) =>
  existsSync(path) ? readFileSync(path, 'utf8').replaceAll(root, '<root>') : null;

describe('Arena', () => {
  it("the champion's shadow and the paper trader produce identical equity curves (one simulator)", () => {
    const root = tempRoot();
    const s = lifecycle(root);
    s.run(0, FRAMES);
    const paper = readFileSync(paperPaths(root).equity, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).equity as number);
    const state = s.arena.state();
    const shadow = state.models.find((m) => m.role === 'champion-shadow')!;
    expect(shadow.equity).toEqual([10_000, ...paper]);
    expect(shadow.portfolio).toEqual(s.paper.portfolioSnapshot());
    expect(shadow.metrics.trades).toBeGreaterThan(5);
    expect(shadow.metrics.excessReturnPct).toBe(0);
  });

  it('after a restart continues exactly like an uninterrupted run (byte-identical state and leaderboard)', () => {
    const whole = tempRoot();
    lifecycle(whole).run(0, FRAMES);

    const split = tempRoot();
    lifecycle(split).run(0, 23);
    const resumed = start(split);
    expect(resumed.arena.lastBarTs).toBe(market.ts[22]);
    expect(resumed.arena.onFrame({ market, t: 10, ts: market.ts[10]! })).toBe(false);
    resumed.run(23, FRAMES);
    for (const file of ['state', 'leaderboard', 'candidate'] as const)
      expect(read(arenaPaths(split)[file], split)).toBe(read(arenaPaths(whole)[file], whole));
    expect(read(paperPaths(split).state, split)).toBe(read(paperPaths(whole).state, whole));
    const challengers = resumed.arena.state().models.filter((m) => m.role === 'challenger');
    expect(challengers.map((m) => m.bars)).toEqual([FRAMES, FRAMES, FRAMES]);
    expect(challengers.some((m) => m.metrics.trades > 0)).toBe(true);
  });

  it('in one transaction committed every 7 frames, a crash between commits resumes both services at the last commit and ends as an uninterrupted run', () => {
    const whole = tempRoot();
    lifecycle(whole).run(0, FRAMES);

    const split = tempRoot();
    const first = enter(startInTransaction(split, 7), split);
    first.run(0, 25); // committed after frame 20 (index 20 = the 21st frame); frames 21-24 only in memory
    expect(first.tx.pending).toBeGreaterThan(0);
    const resumed = startInTransaction(split, 7); // the crash: a new process opens the workspace
    expect([resumed.paper.lastBarTs, resumed.arena.lastBarTs]).toEqual([market.ts[20], market.ts[20]]);
    resumed.run(0, FRAMES);
    resumed.tx.commit();
    for (const file of ['state', 'leaderboard', 'candidate'] as const)
      expect(read(arenaPaths(split)[file], split), file).toBe(read(arenaPaths(whole)[file], whole));
    for (const file of ['state', 'trades', 'equity'] as const)
      expect(read(paperPaths(split)[file], split), file).toBe(read(paperPaths(whole)[file], whole));
  });

  it("a crash between the paper trader's and the arena's write of a frame: the arena applies it as if uninterrupted", () => {
    const whole = tempRoot();
    lifecycle(whole).run(0, 30);
    for (const k of [0, 12]) {
      const split = tempRoot();
      const first = lifecycle(split);
      first.run(0, k);
      first.paper.onFrame({ market, t: k, ts: market.ts[k]! }); // the arena never got frame k
      start(split).run(0, 30);
      for (const file of ['state', 'leaderboard'] as const)
        expect(read(arenaPaths(split)[file], split), `${file} after a crash at ${k}`).toBe(
          read(arenaPaths(whole)[file], whole),
        );
    }
  });

  it("benchmarks start with the paper trader's equity before the arena's first frame, even when the arena starts late", () => {
    const root = tempRoot();
    const s = start(root);
    s.paper.setModel(modelRef(root, 'study/1', 1), createBuiltinPolicy('builtin:equal-weight', SYMBOLS));
    s.paper.onFrame({ market, t: 0, ts: market.ts[0]! });
    s.paper.onFrame({ market, t: 1, ts: market.ts[1]! });
    expect(s.paper.equity).not.toBe(10_000); // it bought (and paid fees) at frame 0
    const late = start(root); // no arena_state.json yet, the paper trader is at frame 1
    late.run(0, 3);
    expect(late.arena.state().benchmarks.map((b) => [b.startingEquity, b.enteredAt])).toEqual([
      [10_000, market.ts[0]],
      [10_000, market.ts[0]],
    ]);
  });

  it('refuses a truncated, hand-edited or mistyped arena_state.json, naming the file and field, untouched', () => {
    const root = tempRoot();
    lifecycle(root).run(0, 5);
    const path = arenaPaths(root).state;
    const good = readFileSync(path, 'utf8');
    const state = JSON.parse(good);
    const edit = (f: (s: typeof state) => void) => {
      const copy = structuredClone(state);
      f(copy);
      return JSON.stringify(copy);
    };
    const cases: [string, RegExp][] = [
      [good.slice(0, 200), /arena_state\.json: not valid JSON/],
      [edit((s) => (s.models[1].status = 'winning')), /arena_state\.json: field "models\.1\.status"/],
      [edit((s) => delete s.lastBarTs), /arena_state\.json: field "lastBarTs"/],
      [
        edit((s) => (s.models[0].portfolio.positions[1].quantity = -5)),
        /arena_state\.json: field "models\.0\.portfolio\.positions\.1\.quantity"/,
      ],
      [
        edit((s) => (s.models[2].portfolio.lastTs = 1)),
        /arena_state\.json: field "models\.2\.portfolio\.lastTs"/,
      ],
      [edit((s) => (s.symbols = ['X'])), /arena_state\.json: field "symbols"/],
      // curves and frame times are checked point by point: the field and index are named
      [
        edit((s) => (s.models[0].equity[1] = 'x')),
        /arena_state\.json: field "models\.0\.equity\.1": .*expected number, received string/,
      ],
      [edit((s) => (s.frameTs = 5)), /arena_state\.json: field "frameTs": .*expected array, received number/],
    ];
    for (const [text, error] of cases) {
      writeFileSync(path, text);
      expect(() => start(root), String(error)).toThrow(error);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('writes leaderboard.txt with the DESIGN columns, the members and both benchmarks', () => {
    const root = tempRoot();
    const s = lifecycle(root);
    s.run(0, 30);
    const text = readFileSync(arenaPaths(root).leaderboard, 'utf8');
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('Rank'))!;
    const columns = ['Rank', 'Model', 'Trial', 'Hours', 'Return %', 'vs paper (pp)', 'Sharpe', 'Sortino'];
    const rest = ['Max DD %', 'Trades', 'Status'];
    let at = 0;
    for (const c of [...columns, ...rest]) {
      const k = header.indexOf(c, at);
      expect(k, c).toBeGreaterThanOrEqual(at);
      at = k + c.length;
    }
    expect(text).toMatch(/study\/1 \(champion\)\s+1\s+2024-01-01T00:00Z\s+30\.0\s/);
    for (const id of ['study/2', 'study/3', 'study/4']) expect(text).toContain(id);
    const bench = lines.slice(lines.indexOf('Benchmarks'));
    expect(bench.some((l) => l.includes('benchmark: equal-weight') && l.includes('30.0'))).toBe(true);
    expect(bench.some((l) => l.includes('benchmark: buy-and-hold'))).toBe(true);
    expect(s.arena.leaderboardText()).toBe(text);
  });

  it('stores, per member and benchmark, the window of its figures and its return since entry; the leaderboard labels both', () => {
    const root = tempRoot();
    // maxEvalHours 10: the champion's and the benchmarks' windows are the trailing 10 h, challengers' their life
    const s = openServices({
      root,
      market,
      loader: policyLoader(factories),
      simConfig,
      arena: { maxEvalHours: 10, gate: { minHours: 5 } },
    });
    s.deploy(modelRef(root, 'study/1', 1.5), factories['study/1']!());
    s.run(0, 20);
    s.arena.offer([modelRef(root, 'study/2', 1)]);
    s.run(20, 30);
    const H = 3_600_000;
    const close = market.ts[29]! + H;
    const state = s.arena.state();
    const shadow = state.models.find((m) => m.role === 'champion-shadow')!;
    expect(shadow.metrics.window).toEqual({ fromTs: market.ts[20]!, toTs: close, hours: 10 });
    expect(shadow.metrics.sinceEntry).toEqual({
      fromTs: market.ts[0]!,
      toTs: close,
      hours: 30,
      returnPct: (shadow.equity.at(-1)! / shadow.startingEquity - 1) * 100,
    });
    const challenger = state.models.find((m) => m.modelId === 'study/2')!;
    expect(challenger.metrics.window).toEqual({ fromTs: market.ts[20]!, toTs: close, hours: 10 });
    expect(challenger.metrics.sinceEntry?.returnPct).toBe(challenger.metrics.returnPct);
    for (const b of state.benchmarks) {
      expect(b.metrics.window?.hours).toBe(10);
      // since the arena's first bar: the benchmark's equity now over the equity it started with
      expect(b.metrics.sinceEntry).toEqual({
        fromTs: market.ts[0]!,
        toTs: close,
        hours: 30,
        returnPct: (b.equity.at(-1)! / b.startingEquity - 1) * 100,
      });
    }
    const text = s.arena.leaderboardText();
    const iso = (ts: number) => new Date(ts).toISOString().replace(':00.000Z', 'Z');
    expect(text).toContain(`every figure runs to the close of the last bar, ${iso(close)}`);
    const header = text.split('\n').find((l) => l.startsWith('Rank'))!;
    expect(header).toMatch(
      /Entered\s+Hours\s+Return %\s+Window from\s+Window h\s+Window %\s+vs paper \(pp\)\s+Sharpe\s+PSR/,
    );
    const row = text.split('\n').find((l) => l.includes('benchmark: equal-weight'))!;
    const eq = state.benchmarks.find((b) => b.name === 'equal-weight')!.metrics;
    const figures = (...cells: string[]) =>
      new RegExp(cells.map((c) => c.replace(/[.+]/g, '\\$&')).join('\\s+'));
    expect(row).toMatch(figures(iso(market.ts[0]!), '30.0', eq.sinceEntry!.returnPct!.toFixed(2)));
    expect(row).toMatch(figures(iso(market.ts[20]!), '10.0', eq.returnPct!.toFixed(2)));
  });

  it('benchmarks start at the first frame with the same starting equity and hold what they bought', () => {
    const root = tempRoot();
    const s = lifecycle(root);
    s.run(0, 1); // (the stop-loss overlay may sell later: benchmarks follow the same rules)
    const [ew, bh] = s.arena.state().benchmarks;
    expect([ew!.name, bh!.name]).toEqual(['equal-weight', 'buy-and-hold']);
    expect([ew!.startingEquity, bh!.startingEquity, ew!.enteredAt]).toEqual([10_000, 10_000, market.ts[0]]);
    expect(ew!.portfolio!.positions.every((p) => p.quantity > 0)).toBe(true);
    expect(bh!.portfolio!.positions.map((p) => p.quantity > 0)).toEqual([true, false, false]);
    expect(ew!.metrics.trades).toBe(3);
  });

  it('a policy that throws gets that step refused (positions held) and logged; the arena goes on', () => {
    const root = tempRoot();
    let calls = 0;
    const flaky: Policy = {
      ...factories['study/2']!(),
      decide(_ctx, out) {
        if (++calls === 3) throw new Error('boom');
        out.fill(0.2);
      },
    };
    const s = start(root, policyLoader({ ...factories, 'study/9': () => flaky }));
    s.arena.offer([modelRef(root, 'study/9', 1), modelRef(root, 'study/2', 0.5)]);
    s.run(0, 6);
    const member = s.arena.state().models.find((m) => m.modelId === 'study/9')!;
    expect(member.status).toBe('evaluating');
    expect(member.metrics.refusedSteps).toBe(1);
    expect(member.bars).toBe(6);
    const warn = s.arenaLog.lines.find((l) => l.level === 'warn')!;
    expect(warn.fields).toMatchObject({
      modelId: 'study/9',
      barTs: market.ts[2],
      reason: 'policy threw: boom',
    });
  });
});

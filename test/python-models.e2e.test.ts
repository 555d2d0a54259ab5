// From Python to the paper trader: exported observations, a numpy-trained policy written as an ONNX bundle and
// registered through Optuna, deployed by a replay beside native models, with parity of actions to 1e-5.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, trainSmallStudy } from './cli.js';
import { makeGraph, pythonOnnxAvailable, runPython } from './onnx-fixtures.js';
import { serviceAvailable } from './require-service.js';

const DATA = 'builtin?seed=5&bars=1500';
const FEATURES = 'ret_24,macd,rsi_14,vol_24';
const TRAIN_END = '2024-02-01';
const hasOptuna =
  pythonOnnxAvailable() &&
  serviceAvailable('python3-optuna', () => {
    runPython('-c', ['import optuna']);
    return true;
  });

const jsonLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(!hasOptuna)('Python-trained ONNX models (end to end)', () => {
  let root: string;
  const cli = (...args: string[]) => {
    const r = runCli(args);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ht-python-models-'));
    cli(
      'features',
      'export',
      '--data',
      DATA,
      '--features',
      FEATURES,
      '--to',
      TRAIN_END,
      '--out',
      join(root, 'obs.npy'),
    );
    const out = runPython(join(ROOT, 'python/examples/train_numpy_policy.py'), [
      '--observations',
      join(root, 'obs.npy'),
      '--root',
      root,
      '--study',
      'py',
      '--epochs',
      '300',
    ]);
    expect(out).toMatch(/trial 0 of py: training score -?\d/);
    // native trials complete after the Python one, so the replay releases the Python trial first
    const native = trainSmallStudy(root, { study: 'native', trials: 3, kind: 'momentum', seed: 5 });
    expect(native.status, native.stderr).toBe(0);
    // a graph whose every output is NaN, registered through Python with a low score: an arena challenger
    const size = JSON.parse(readFileSync(join(root, 'obs.json'), 'utf8')).observationSize as number;
    const nanGraph = join(root, 'nan.onnx');
    makeGraph(nanGraph, { sizes: [size, 4, 8], fill: 'nan' });
    runPython('-c', [
      'import sys; from hybrid_trader import register_model; ' +
        'register_model(f"sqlite:///{sys.argv[1]}/studies.db", "broken", sys.argv[1], sys.argv[2], ' +
        'f"{sys.argv[1]}/obs.npy", -5.0)',
      root,
      nanGraph,
    ]);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes a bundle whose observation contract is copied from the export', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'models/py/0/manifest.json'), 'utf8'));
    const sidecar = JSON.parse(readFileSync(join(root, 'obs.json'), 'utf8'));
    expect(manifest.kind).toBe('onnx');
    expect(manifest.features).toEqual(FEATURES.split(','));
    expect(manifest.normalisation).toEqual(sidecar.normalisation);
    expect(manifest.dataHash).toBe(sidecar.data.hash);
    expect(manifest.onnx.input).toEqual({
      name: 'obs',
      dtype: 'float32',
      shape: ['batch', sidecar.observationSize],
    });
    expect(manifest.onnx.output.shape).toEqual(['batch', 8]);
  });

  it('gives the same actions in hybrid-trader and in Python on every bar of a window, to 1e-5', () => {
    const bundle = join(root, 'models/py/0');
    const decisions = join(root, 'decisions.npy');
    const window = join(root, 'window.npy');
    const backtest = JSON.parse(
      cli(
        'backtest',
        '--data',
        DATA,
        '--model',
        bundle,
        '--from',
        TRAIN_END,
        '--decisions',
        decisions,
        '--json',
      ),
    );
    expect(backtest.rejectedSteps).toBe(0);
    cli(
      'features',
      'export',
      '--data',
      DATA,
      '--features',
      FEATURES,
      '--from',
      TRAIN_END,
      '--normalisation',
      join(bundle, 'manifest.json'),
      '--out',
      window,
    );
    const parity = JSON.parse(
      runPython(join(ROOT, 'python/examples/check_parity.py'), [
        '--bundle',
        bundle,
        '--observations',
        window,
        '--decisions',
        decisions,
      ]),
    );
    expect(parity.rows).toBe(backtest.bars);
    expect(parity.max_abs_error).toBeLessThanOrEqual(1e-5);
  });

  it('backtests any bundle by its path: a native trial beside the ONNX one, and refuses a folder without one', () => {
    const native = JSON.parse(
      cli('backtest', '--data', DATA, '--model', join(root, 'models/native/0'), '--json'),
    );
    expect(native.model).toBe('native/0');
    const missing = runCli(['backtest', '--data', DATA, '--model', join(root, 'models/none')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/BUNDLE_NOT_FOUND/);
  });

  it('is deployed by the deployer and stepped in the arena beside native models, its books consistent; NaN outputs are refused and counted', () => {
    const r = runCli(
      [
        'replay',
        '--study',
        'py,native,broken',
        '--data',
        DATA,
        '--from',
        TRAIN_END,
        '--mode',
        'training-only',
        '--release-every',
        '1',
        '--root',
        root,
        '--json',
      ],
      // the Python trial, released first, is deployed; the native ones cannot beat it by this margin
      { env: { HYBRID_TRADER__DEPLOYER__SCORE_MARGIN: '1000000' } },
    );
    expect(r.status, r.stderr).toBe(0);
    const deployment = JSON.parse(readFileSync(join(root, 'deployments/deployment_state.json'), 'utf8'));
    expect(deployment.current.modelId).toBe('py/0');
    const arena = JSON.parse(readFileSync(join(root, 'arena_state/arena_state.json'), 'utf8'));
    const members = arena.models as {
      modelId: string;
      role: string;
      hours: number;
      bars: number;
      metrics: { refusedSteps: number; trades: number; returnPct: number };
    }[];
    const shadow = members.find((m) => m.modelId === 'py/0');
    expect(shadow?.role).toBe('champion-shadow');
    expect(shadow?.hours).toBeGreaterThan(600);
    expect(shadow?.metrics.trades).toBeGreaterThan(10);
    expect(shadow?.metrics.refusedSteps).toBe(0);
    expect(members.filter((m) => m.modelId.startsWith('native/')).length).toBeGreaterThan(0);
    // the NaN model: every bar it was stepped (until its evaluation window ran out) refused and counted,
    // nothing traded
    const broken = members.find((m) => m.modelId === 'broken/0');
    expect(broken?.role).toBe('challenger');
    expect(broken?.bars).toBeGreaterThan(100);
    expect(broken?.metrics.refusedSteps).toBe(broken?.bars);
    expect(broken?.metrics.trades).toBe(0);
    expect(broken?.metrics.returnPct).toBe(0);

    const paper = JSON.parse(readFileSync(join(root, 'paper_trades/positions_state.json'), 'utf8'));
    expect(paper.modelId).toBe('py/0');
    const trades = jsonLines(join(root, 'paper_trades/trades.jsonl'));
    expect(trades.length).toBeGreaterThan(10);
    expect(new Set(trades.map((t) => t.modelId))).toEqual(new Set(['py/0']));
    // the books: cash and quantities follow from the fills, equity from cash and marked positions
    let cash = paper.initialEquity as number;
    const qty = new Map<string, number>();
    for (const t of trades) {
      const notional = t.notional as number;
      const fee = t.fee as number;
      expect(Math.abs(notional - (t.quantity as number) * (t.price as number))).toBeLessThan(1e-9 * notional);
      expect(Math.abs(fee - 0.0025 * notional)).toBeLessThan(1e-12 + 1e-9 * notional);
      const sign = t.side === 'buy' ? 1 : -1;
      cash += t.side === 'buy' ? -notional - fee : notional - fee;
      expect(Math.abs(cash - (t.cashAfter as number))).toBeLessThan(1e-6);
      expect(t.cashAfter as number).toBeGreaterThanOrEqual(0);
      qty.set(t.symbol as string, (qty.get(t.symbol as string) ?? 0) + sign * (t.quantity as number));
    }
    expect(Math.abs(cash - paper.cash)).toBeLessThan(1e-6);
    let value = 0;
    for (const p of paper.positions as {
      symbol: string;
      quantity: number;
      marketPrice: number;
      value: number;
    }[]) {
      expect(Math.abs(p.quantity - (qty.get(p.symbol) ?? 0))).toBeLessThan(1e-9 * p.quantity);
      expect(Math.abs(p.value - p.quantity * p.marketPrice)).toBeLessThan(1e-9 * p.value);
      value += p.value;
    }
    expect(Math.abs(paper.cash + value - paper.equity)).toBeLessThan(1e-6);
    const equity = jsonLines(join(root, 'paper_trades/equity.jsonl'));
    expect(equity.at(-1)?.equity).toBe(paper.equity);
  });

  it('is a member of a mean-vote ensemble (ensemble mode) beside native models', () => {
    const r = runCli([
      'replay',
      '--study',
      'py,native',
      '--data',
      DATA,
      '--from',
      TRAIN_END,
      '--compare',
      'ensemble',
      // the native trials saw these bars: this checks membership, not performance
      '--allow-in-sample',
      '--root',
      root,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const deployment = JSON.parse(
      readFileSync(join(root, 'replay-ensemble/deployments/deployment_state.json'), 'utf8'),
    );
    expect(deployment.current.modelId).toMatch(/^_ensembles\//);
    const ensemble = JSON.parse(
      readFileSync(
        join(
          // stored relative to the comparison's folder (its workspace root)
          resolve(join(root, 'replay-ensemble'), deployment.current.modelPath),
          'manifest.json',
        ),
        'utf8',
      ),
    );
    const paths = ensemble.members.map((m: { path: string }) => m.path) as string[];
    expect(paths.some((p) => p.endsWith(join('models', 'py', '0')))).toBe(true);
    expect(paths.some((p) => p.includes(join('models', 'native')))).toBe(true);
    const paper = JSON.parse(
      readFileSync(join(root, 'replay-ensemble/paper_trades/positions_state.json'), 'utf8'),
    );
    expect(paper.portfolio.counters.rejectedSteps).toBe(0);
    expect(paper.portfolio.counters.fills).toBeGreaterThan(0);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ht-evaluate-'));
const DATA = 'builtin?seed=5&bars=1400';
const MODES = 'hybrid,training-only,arena-only,ensemble';
// 6 windows of 96 h after 800 h of training: 1,376 of the 1,400 bars
const ARGS = [
  '--data',
  DATA,
  '--windows',
  '6',
  '--window-hours',
  '96',
  '--train-hours',
  '800',
  '--trials',
  '4',
  '--kind',
  'sma-cross',
  '--folds',
  '2',
  '--validation-bars',
  '100',
  '--embargo-bars',
  '24',
  '--modes',
  MODES,
  '--parallel',
  '2',
  '--json',
];

/** What a mode's replay says about its window, in the evaluation's terms. */
const figures = (m: Record<string, unknown>) => ({
  mode: m.mode,
  returnPct: m.returnPct,
  sharpe: m.sharpe,
  psr: m.psr,
  maxDrawdownPct: m.maxDrawdownPct,
  finalEquity: m.finalEquity,
  deployments: m.deployments,
  promotions: m.promotions,
  refusals: m.refusals,
  deployed: m.deployed,
});

describe('hybrid-trader evaluate (end to end)', () => {
  it('6 windows on the built-in market: each window equals separate train and replay runs of it; a rerun resumes', () => {
    const root = tmp();
    const out = join(root, 'evaluation');
    const r = runCli(['evaluate', ...ARGS, '--root', root, '--report', join(root, 'report.html')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\r');
    const report = JSON.parse(r.stdout);
    expect(report.windows).toHaveLength(6);
    expect(report.windowsRun).toBe(6);
    // consecutive windows, the last ending at the data's end (2024-01-01 + 1,400 h)
    for (let k = 1; k < 6; k++) expect(report.windows[k].window.from).toBe(report.windows[k - 1].window.to);
    expect(report.windows[5].window.to).toBe('2024-02-28T08:00:00.000Z');
    for (const w of report.windows) {
      expect(w.window.hours).toBe(96);
      expect(w.trainWindow.hours).toBe(800);
      expect(w.trainWindow.to).toBe(w.window.from);
      // the study trained on exactly the 800 h before the window, nothing after it
      const windowDir = join(out, 'windows', w.id);
      // a separate replay of the same window with the window's study gives the same figures
      const replay = runCli([
        'replay',
        '--study',
        'evaluate',
        '--data',
        DATA,
        '--from',
        w.window.from,
        '--to',
        w.window.to,
        '--compare',
        MODES,
        '--root',
        windowDir,
        '--json',
      ]);
      expect(replay.status, replay.stderr).toBe(0);
      const separate = JSON.parse(replay.stdout);
      expect(w.modes.map(figures)).toEqual(separate.map(figures));
      expect(w.benchmarks).toEqual(separate[0].benchmarks);
      expect(w.window).toEqual(separate[0].window);
      for (const trial of readdirManifests(windowDir)) {
        expect(trial.trainingWindow[0]).toBe(w.trainWindow.from);
        expect(Date.parse(trial.trainingWindow[1])).toBeLessThan(Date.parse(w.window.from));
      }
    }
    // the first window from nothing: train on its 800 h with the same settings, then replay it
    const alone = tmp();
    const w0 = report.windows[0];
    const trained = runCli([
      'train',
      '--study',
      'evaluate',
      '--data',
      DATA,
      '--from',
      w0.trainWindow.from,
      '--to',
      w0.window.from,
      ...ARGS.slice(ARGS.indexOf('--trials'), ARGS.indexOf('--modes')),
      '--root',
      alone,
    ]);
    expect(trained.status, trained.stderr).toBe(0);
    const replayed = runCli([
      'replay',
      '--study',
      'evaluate',
      '--data',
      DATA,
      '--from',
      w0.window.from,
      '--to',
      w0.window.to,
      '--compare',
      MODES,
      '--root',
      alone,
      '--json',
    ]);
    expect(replayed.status, replayed.stderr).toBe(0);
    expect(w0.modes.map(figures)).toEqual(JSON.parse(replayed.stdout).map(figures));

    // distributions and win counts over the 6 windows
    const names = report.arms.map((a: { name: string }) => a.name);
    expect(names).toEqual([...MODES.split(','), 'equal-weight', 'buy-and-hold', 'cash']);
    const hybrid = report.arms[0];
    const returns = report.windows.map(
      (w: { modes: { returnPct: number }[] }) => w.modes[0]!.returnPct,
    ) as number[];
    expect(hybrid.summary.returnPct.worst).toBe(Math.min(...returns));
    const vsCash = report.beats.find(
      (b: { arm: string; other: string }) => b.arm === 'hybrid' && b.other === 'cash',
    );
    expect(vsCash.wins).toBe(returns.filter((x) => x > 0).length);
    const html = readFileSync(join(root, 'report.html'), 'utf8');
    expect(html).toContain('<details id="window-6">');
    expect(html).toContain('report.html"'); // each window's own replay report, one click away

    // a rerun reads every window from the first run; a window whose result is gone is replayed again
    // from its stored study, with the same figures
    rmSync(join(report.runDir, report.windows[2].id, 'result.json'));
    const again = runCli(['evaluate', ...ARGS, '--root', root]);
    expect(again.status, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout);
    expect(second.windowsRun).toBe(1);
    expect(again.stderr.match(/done in an earlier run/g)).toHaveLength(5);
    const strip = (w: { replaySeconds?: number }) => ({ ...w, replaySeconds: 0 });
    expect(second.windows.map(strip)).toEqual(report.windows.map(strip));

    // other study settings on the same folder are refused before anything runs
    const changed = runCli(['evaluate', ...ARGS.map((a) => (a === '4' ? '5' : a)), '--root', root]);
    expect(changed.status).toBe(2);
    expect(changed.stderr).toMatch(/EVALUATION_SETTINGS_CHANGED/);
  }, 300_000);

  it('refuses windows the data cannot hold, saying how many bars they need', () => {
    const r = runCli([
      'evaluate',
      '--data',
      DATA,
      '--windows',
      '12',
      '--window-hours',
      '336',
      '--root',
      tmp(),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/EVALUATE_DATA_SHORT.*need 6032 bars; the data has 1400/);
    // --to ends the evaluation earlier: the bars before it are all it may use
    const early = runCli(['evaluate', ...ARGS, '--to', '2024-01-30T00:00:00Z', '--root', tmp()]);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/EVALUATE_DATA_SHORT.*need 1376 bars; the data has 696/);
  });
});

function readdirManifests(windowDir: string): { trainingWindow: [string, string] }[] {
  const dir = join(windowDir, 'models', 'evaluate');
  return readdirSync(dir).map((n) => JSON.parse(readFileSync(join(dir, n, 'manifest.json'), 'utf8')));
}

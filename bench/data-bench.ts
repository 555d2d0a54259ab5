// The data path near the machine's limit: an exchange export of 334,130 hourly bars loaded and backtested
// end to end (against Python's csv module parsing the same file, in the same run), the same from the binary
// cache, ten symbols of a year of 1-minute bars (and two years: the growth ratio), and a 1-minute replay.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBacktest } from '../src/backtest/index.js';
import { loadMarketFiles } from '../src/market/load-market.js';
import { generateSyntheticMarket } from '../src/market/synth.js';
import { createBuiltinPolicy } from '../src/models/index.js';
import { resolveSimConfig } from '../src/sim/index.js';
import { FULL_ARENA, timedReplay } from './replay-bench.js';
import type { BenchFigure } from './sim-bench.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
/** Preloaded into a child: writes its peak RSS (KiB) to $HT_BENCH_RSS_FILE when it exits. */
const RSS_HOOK = `process.on('exit', () => require('node:fs').writeFileSync(process.env.HT_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));`;

/** Bars of the exchange export (one symbol, hourly). */
export const EXPORT_BARS = 334_130;
const MINUTE_YEAR = 525_600;
const TEN_SYMBOLS = Array.from({ length: 10 }, (_, i) => `S${i}/USDT`);

/** Wall seconds and peak RSS (MiB) of one child process; throws when it fails. */
interface ChildRun {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly stdout: string;
}

function runChild(
  dir: string,
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): ChildRun {
  const rssFile = join(dir, 'rss');
  writeFileSync(rssFile, '0');
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, HT_BENCH_RSS_FILE: rssFile, ...env },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rssKiB = command === process.execPath ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
  return { seconds, rssMiB: rssKiB / 1024, stdout: r.stdout };
}

/** The CLI in a child, with the RSS hook preloaded. */
function runCli(dir: string, args: readonly string[]): ChildRun {
  const hook = join(dir, 'rss-hook.cjs');
  writeFileSync(hook, RSS_HOOK);
  return runChild(dir, process.execPath, ['--require', hook, CLI, ...args]);
}

/** The run with the median time of `n` (the machine is shared: single runs are noisy). */
function median(n: number, run: () => ChildRun): ChildRun {
  const runs = Array.from({ length: n }, run).sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(n / 2)]!;
}

/**
 * Writes `bars` hourly bars of one synthetic symbol as the widespread exchange export: a banner line,
 * `unix,date,symbol,open,high,low,close,Volume BTC,Volume USDT,tradecount`, newest first, unix in ms,
 * prices with the exchange's 2 decimals.
 */
export function writeExchangeExport(path: string, bars: number): number {
  const m = generateSyntheticMarket({ symbols: ['BTC/USDT'], bars, startTs: Date.UTC(1985, 0, 1), seed: 7 });
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (text: string) => {
    bytes += writeSync(fd, text);
  };
  write(
    'https://www.CryptoDataDownload.com\nunix,date,symbol,open,high,low,close,Volume BTC,Volume USDT,tradecount\n',
  );
  const lines: string[] = [];
  for (let t = m.length - 1; t >= 0; t--) {
    const ts = m.ts[t]!;
    const date = new Date(ts).toISOString().slice(0, 19).replace('T', ' ');
    const [o, h, l, c] = [m.open[t]!, m.high[t]!, m.low[t]!, m.close[t]!].map((x) => x.toFixed(2));
    const v = m.volume[t]!;
    lines.push(
      `${ts},${date},BTC/USDT,${o},${h},${l},${c},${v.toFixed(5)},${(v * m.close[t]!).toFixed(2)},${Math.round(v * 3)}\n`,
    );
    if (lines.length === 10_000) write(lines.splice(0).join(''));
  }
  write(lines.join(''));
  closeSync(fd);
  return bytes;
}

const PY_PARSE =
  'import csv, sys\nwith open(sys.argv[1], newline="") as f:\n    n = sum(1 for _ in csv.reader(f))\nprint(n)\n';

function hasPython(): boolean {
  return spawnSync('python3', ['-c', 'import csv'], { encoding: 'utf8' }).status === 0;
}

/** Median ms of loading the export from the binary cache (written before), and of its SMA backtest, in this process. */
function cachedInProcess(file: string, cacheDir: string): { loadMs: number; backtestMs: number } {
  const load: number[] = [];
  const backtest: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = process.hrtime.bigint();
    const { data } = loadMarketFiles([file], { cacheDir });
    const t1 = process.hrtime.bigint();
    runBacktest({
      market: data,
      policy: createBuiltinPolicy('builtin:sma-cross', data.symbols, data.timeframeMs),
      config: resolveSimConfig(),
    });
    backtest.push(Number(process.hrtime.bigint() - t1) / 1e6);
    load.push(Number(t1 - t0) / 1e6);
  }
  const mid = (a: number[]) => a.sort((x, y) => x - y)[3]!;
  return { loadMs: mid(load), backtestMs: mid(backtest) };
}

function exportFigures(dir: string): BenchFigure[] {
  const file = join(dir, 'Binance_BTCUSDT_1h.csv');
  const bytes = writeExchangeExport(file, EXPORT_BARS);
  const size = `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const figures: BenchFigure[] = [];
  const root = join(dir, 'ws');
  const backtest = (...extra: string[]) =>
    runCli(dir, [
      'backtest',
      '--data',
      file,
      '--model',
      'builtin:sma-cross',
      '--root',
      root,
      '--json',
      ...extra,
    ]);
  const csv = median(3, () => backtest('--no-data-cache'));
  const bars = JSON.parse(csv.stdout).bars as number;
  const python = hasPython() ? median(3, () => runChild(dir, 'python3', ['-c', PY_PARSE, file])) : null;
  const what = `${EXPORT_BARS.toLocaleString('en')} hourly bars, 1 symbol, exchange export of ${size} (newest first, banner line, ms)`;
  figures.push({
    name: `data: CSV load + SMA backtest, ${what}, CLI end to end`,
    value: EXPORT_BARS / csv.seconds,
    unit: 'rows/s',
    note: `${csv.seconds.toFixed(2)} s wall for ${bars} bars, peak RSS ${csv.rssMiB.toFixed(0)} MiB (target <= 150)`,
  });
  if (python)
    figures.push({
      name: "data: the same / Python's csv module merely parsing the file (both whole processes, same run)",
      value: csv.seconds / python.seconds,
      unit: 'ratio',
      note: `Python ${python.seconds.toFixed(2)} s wall; <= 1 is the target`,
    });
  else
    figures.push({
      name: 'data: Python csv comparison',
      value: Number.NaN,
      unit: 'ratio',
      note: 'skipped: no python3',
    });
  backtest(); // writes the cache
  const hit = median(3, () => backtest());
  figures.push({
    name: `data: cache load + SMA backtest, ${EXPORT_BARS.toLocaleString('en')} hourly bars, CLI end to end`,
    value: hit.seconds * 1000,
    unit: 'ms',
    note: `peak RSS ${hit.rssMiB.toFixed(0)} MiB; Node's start and the CLI's imports included`,
  });
  const inProcess = cachedInProcess(file, join(root, 'cache', 'market'));
  figures.push({
    name: `data: cache load, ${EXPORT_BARS.toLocaleString('en')} hourly bars, in process`,
    value: inProcess.loadMs,
    unit: 'ms',
    note: `stat check, cache read, merge, checks, frames; target < 50; the SMA backtest after it ${inProcess.backtestMs.toFixed(0)} ms`,
  });
  return figures;
}

function minuteFigures(dir: string): BenchFigure[] {
  const runs = [1, 2].map((years) => {
    const file = join(dir, `minutes-${years}y.csv`);
    const synth = runCli(dir, [
      'data',
      'synth',
      '--timeframe',
      '1m',
      '--bars',
      String(years * MINUTE_YEAR),
      '--symbols',
      TEN_SYMBOLS.join(','),
      '--out',
      file,
    ]);
    const backtest = runCli(dir, [
      'backtest',
      '--data',
      file,
      '--model',
      'builtin:equal-weight',
      '--root',
      join(dir, 'ws'),
      '--no-data-cache',
      '--json',
    ]);
    rmSync(file, { force: true });
    return { years, synth, backtest, bars: JSON.parse(backtest.stdout).bars as number };
  });
  const [one, two] = runs as [(typeof runs)[0], (typeof runs)[0]];
  return [
    {
      name: 'data: 10 symbols x 525,600 1m bars (data synth --timeframe 1m), CSV load + validate + equal-weight backtest',
      value: one.backtest.seconds,
      unit: 's',
      note: `${one.bars} frames, peak RSS ${one.backtest.rssMiB.toFixed(0)} MiB (target <= 1536); data synth took ${one.synth.seconds.toFixed(1)} s, ${one.synth.rssMiB.toFixed(0)} MiB`,
    },
    {
      name: 'data: the same with 2 years (1,051,200 bars) / 1 year, time',
      value: two.backtest.seconds / one.backtest.seconds,
      unit: 'ratio',
      note: `${two.backtest.seconds.toFixed(1)} s; <= 2 is the target`,
    },
    {
      name: 'data: the same with 2 years / 1 year, peak RSS',
      value: two.backtest.rssMiB / one.backtest.rssMiB,
      unit: 'ratio',
      note: `${two.backtest.rssMiB.toFixed(0)} MiB; <= 2 is the target`,
    },
  ];
}

async function replayFigures(): Promise<BenchFigure[]> {
  const market = generateSyntheticMarket({
    symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'],
    bars: MINUTE_YEAR + 200,
    timeframeMs: 60_000,
  });
  const minute = await timedReplay(
    'rule',
    FULL_ARENA,
    MINUTE_YEAR,
    undefined,
    'replay: paper + 10 arena models (rules), 1 year of 1m bars, 3 symbols',
    market,
  );
  const hourly = await timedReplay('rule', FULL_ARENA, 8760, undefined, 'hourly');
  const perFrame = (seconds: number, bars: number) => (seconds / bars) * 1e6;
  return [
    minute.figure,
    {
      name: 'replay: per-frame cost, 1m (3 symbols) / 1h (7 symbols), same models',
      value: perFrame(minute.seconds, MINUTE_YEAR) / perFrame(hourly.seconds, 8760),
      unit: 'ratio',
      note: `${perFrame(minute.seconds, MINUTE_YEAR).toFixed(1)} us vs ${perFrame(hourly.seconds, 8760).toFixed(1)} us per frame; <= 1 is the target`,
    },
  ];
}

export async function dataBenchmarks(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ht-data-bench-'));
  try {
    return [...exportFigures(dir), ...minuteFigures(dir), ...(await replayFigures())];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

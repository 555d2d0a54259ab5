// Bars that are valid by the OHLC rules but look broken: price spikes against their neighbours, a last bar
// still forming, runs of zero volume, implausible magnitudes. Warnings for `data check` (--strict refuses).
import { z } from 'zod';
import { isoTs } from '../market-data.js';
import type { SeriesBySymbol, SymbolRows } from './merge-rows.js';
import { refuse } from './refusal.js';
import type { ParsedFile } from './source-row.js';

/** Thresholds of the checks (the `data.checks` section of hybrid.config.json). */
export const BarChecksSchema = z.strictObject({
  /**
   * A bar's open, high, low or close is a spike when its log distance from the median close of its
   * neighbours (5 bars each side) exceeds this many robust deviations of the symbol's bar-to-bar log
   * returns (1.4826 x their median absolute deviation).
   */
  spikeDeviations: z.number().positive().default(75),
  /** The last bar may still be forming when its volume is below this fraction of the median of the 24 before. */
  formingVolumeRatio: z.number().min(0).max(1).default(0.25),
  /** Runs of at least this many consecutive zero-volume bars are reported. */
  zeroVolumeRun: z.number().int().min(1).default(3),
  /** Prices outside [minPrice, maxPrice] (quote currency) are implausible. */
  minPrice: z.number().positive().default(1e-10),
  maxPrice: z.number().positive().default(1e10),
  /** A volume above this is implausible. */
  maxVolume: z.number().positive().default(1e15),
});
/** See BarChecksSchema. */
export type BarChecks = z.infer<typeof BarChecksSchema>;

/**
 * The magnitude bounds of BarChecks: `data check` reports a bar outside them, every other command refuses
 * it (a close of 1e308 passes every OHLC rule, yet no account can trade it).
 */
export type PlausibleBounds = Pick<BarChecks, 'minPrice' | 'maxPrice' | 'maxVolume'>;
/** The magnitude bounds of a set of checks. */
export function boundsOf({ minPrice, maxPrice, maxVolume }: PlausibleBounds): PlausibleBounds {
  return { minPrice, maxPrice, maxVolume };
}
/** The default bounds (those of an empty `data.checks`). */
export const DEFAULT_BOUNDS: PlausibleBounds = boundsOf(BarChecksSchema.parse({}));

/** The kinds of suspicious bars. */
export const SUSPICION_KINDS = ['spike', 'forming', 'zero-volume', 'magnitude'] as const;
/** One of SUSPICION_KINDS. */
export type SuspicionKind = (typeof SUSPICION_KINDS)[number];

/** One suspicious bar (or run of bars), times as epoch ms. */
export interface Suspicion {
  readonly kind: SuspicionKind;
  readonly symbol: string;
  readonly ts: number;
  /** The last bar of a zero-volume run (else = ts). */
  readonly toTs: number;
  /** Where the bar was read. */
  readonly file: string;
  readonly line: number;
  /** What was found, with the numbers. */
  readonly detail: string;
}

/** Suspicious bars listed in the report (all are counted). */
export const SUSPICIONS_LISTED = 50;

/** Neighbours on each side whose median close is a bar's reference. */
const NEIGHBOURS = 5;
/** Bars before the last whose median volume the last is compared with. */
const FORMING_WINDOW = 24;
const MAD_TO_SD = 1.4826;
const FIELDS = ['open', 'high', 'low', 'close'] as const;

function median(values: Float64Array): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of the first m values of `a`, sorting them in place (m is small). */
function smallMedian(a: Float64Array, m: number): number {
  for (let i = 1; i < m; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
  const mid = m >> 1;
  return m % 2 === 1 ? a[mid]! : (a[mid - 1]! + a[mid]!) / 2;
}

/** The columns of one symbol in time order (copied out of the files). */
interface SymbolBars {
  readonly n: number;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

function gatherBars(files: readonly ParsedFile[], rows: SymbolRows): SymbolBars {
  const n = rows.length;
  const out = {
    n,
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let k = 0; k < n; k++) {
    const src = files[rows.file[k]!]!.rows;
    const r = rows.row[k]!;
    out.open[k] = src.open[r]!;
    out.high[k] = src.high[r]!;
    out.low[k] = src.low[r]!;
    out.close[k] = src.close[r]!;
    out.volume[k] = src.volume[r]!;
  }
  return out;
}

/** Robust deviation of the bar-to-bar log returns of `close` (0 when fewer than 3 bars). */
function robustDeviation(close: Float64Array): number {
  if (close.length < 3) return 0;
  const r = new Float64Array(close.length - 1);
  for (let k = 1; k < close.length; k++) r[k - 1] = Math.log(close[k]! / close[k - 1]!);
  const m = median(r);
  for (let k = 0; k < r.length; k++) r[k] = Math.abs(r[k]! - m);
  return MAD_TO_SD * median(r);
}

/**
 * The suspicious bars of `symbols`, in symbol then time order. Pure; about linear in the bars
 * (a median of at most 10 neighbours per bar).
 */
export function findSuspiciousBars(
  files: readonly ParsedFile[],
  series: SeriesBySymbol,
  symbols: readonly string[],
  checks: BarChecks,
): Suspicion[] {
  const out: Suspicion[] = [];
  for (const symbol of symbols) {
    const rows = series.get(symbol)!;
    const bars = gatherBars(files, rows);
    const where = (k: number) => ({
      file: files[rows.file[k]!]!.file,
      line: files[rows.file[k]!]!.rows.line[rows.row[k]!]!,
    });
    const add = (kind: SuspicionKind, k: number, to: number, detail: string) =>
      out.push({ kind, symbol, ts: rows.ts[k]!, toTs: rows.ts[to]!, ...where(k), detail });
    magnitudes(bars, checks, add);
    spikes(bars, checks, add);
    forming(bars, checks, add);
    zeroVolumeRuns(bars, checks, add);
  }
  const order = (s: Suspicion) => symbols.indexOf(s.symbol);
  return out.sort((a, b) => order(a) - order(b) || a.ts - b.ts);
}

type Add = (kind: SuspicionKind, k: number, to: number, detail: string) => void;

/** A number as people read bounds: 1e+16, not 10000000000000000. */
const num = (x: number) => (Math.abs(x) >= 1e9 ? x.toExponential() : String(x));

type BarField = (typeof FIELDS)[number] | 'volume';
type BarFieldColumns = Readonly<Record<BarField, ArrayLike<number>>>;

/** Whether row `r` lies inside the bounds: plain comparisons, as every load checks every row. */
function plausible(bars: BarFieldColumns, r: number, b: PlausibleBounds): boolean {
  for (const f of FIELDS) if (bars[f][r]! > b.maxPrice || bars[f][r]! < b.minPrice) return false;
  return bars.volume[r]! <= b.maxVolume;
}

/** The fields of row `r` outside the bounds, each read as "close 1e+308". */
function implausibleFields(bars: BarFieldColumns, r: number, b: PlausibleBounds) {
  const fields: BarField[] = FIELDS.filter((f) => bars[f][r]! > b.maxPrice || bars[f][r]! < b.minPrice);
  if (bars.volume[r]! > b.maxVolume) fields.push('volume');
  return { fields, text: fields.map((f) => `${f} ${num(bars[f][r]!)}`).join(', ') };
}

const describeBounds = (b: PlausibleBounds) =>
  `outside the plausible range (prices ${num(b.minPrice)}..${num(b.maxPrice)}, volume <= ${num(b.maxVolume)})`;

function magnitudes(bars: SymbolBars, c: BarChecks, add: Add): void {
  for (let k = 0; k < bars.n; k++) {
    if (plausible(bars, k, c)) continue;
    add('magnitude', k, k, `${implausibleFields(bars, k, c).text} ${describeBounds(c)}`);
  }
}

/**
 * Refuses (BAR_IMPLAUSIBLE) the load when a bar of `symbols` lies outside `bounds`, naming the first
 * (file, line, field) and counting all. One pass over the rows, no copy: every load runs it.
 */
export function refuseImplausibleBars(
  files: readonly ParsedFile[],
  series: SeriesBySymbol,
  symbols: readonly string[],
  bounds: PlausibleBounds,
): void {
  let first: { symbol: string; file: ParsedFile; row: number; ts: number } | null = null;
  let count = 0;
  for (const symbol of symbols) {
    const rows = series.get(symbol)!;
    for (let k = 0; k < rows.length; k++) {
      const file = files[rows.file[k]!]!;
      if (plausible(file.rows, rows.row[k]!, bounds)) continue;
      count++;
      first ??= { symbol, file, row: rows.row[k]!, ts: rows.ts[k]! };
    }
  }
  if (first === null) return;
  const bad = implausibleFields(first.file.rows, first.row, bounds);
  throw refuse(
    'BAR_IMPLAUSIBLE',
    { file: first.file.file, line: first.file.rows.line[first.row]! },
    bad.fields[0]!,
    `${first.symbol} ${bad.text} at ${isoTs(first.ts)} is ${describeBounds(bounds)} (${count} implausible bar${count === 1 ? '' : 's'} in all; \`data check\` lists them, data.checks in hybrid.config.json sets the bounds)`,
    { count },
  );
}

function spikes(bars: SymbolBars, c: BarChecks, add: Add): void {
  const sd = robustDeviation(bars.close);
  if (!(sd > 0) || bars.n < 3) return;
  const window = new Float64Array(2 * NEIGHBOURS);
  for (let k = 0; k < bars.n; k++) {
    let m = 0;
    for (let j = Math.max(0, k - NEIGHBOURS); j <= Math.min(bars.n - 1, k + NEIGHBOURS); j++)
      if (j !== k) window[m++] = bars.close[j]!;
    const ref = smallMedian(window, m);
    // Cheap test first: high and low bound open and close, so only they can be the farthest.
    const limit = Math.exp(c.spikeDeviations * sd);
    if (bars.high[k]! <= ref * limit && bars.low[k]! >= ref / limit) continue;
    const far = FIELDS.flatMap((f) => {
      const deviations = Math.abs(Math.log(bars[f][k]! / ref)) / sd;
      return deviations > c.spikeDeviations
        ? [`${f} ${bars[f][k]} (${deviations.toFixed(0)} deviations)`]
        : [];
    });
    if (far.length > 0)
      add(
        'spike',
        k,
        k,
        `${far.join(', ')} from the neighbours' median close ${ref}; threshold ${c.spikeDeviations} robust deviations of ${(sd * 100).toPrecision(3)} %`,
      );
  }
}

function forming(bars: SymbolBars, c: BarChecks, add: Add): void {
  const last = bars.n - 1;
  if (last < 3) return;
  const before = bars.volume.subarray(Math.max(0, last - FORMING_WINDOW), last);
  const ref = median(before);
  if (ref > 0 && bars.volume[last]! < c.formingVolumeRatio * ref)
    add(
      'forming',
      last,
      last,
      `last bar's volume ${bars.volume[last]} is ${((bars.volume[last]! / ref) * 100).toFixed(0)} % of the median ${ref} of the ${before.length} before: it may still have been forming when exported`,
    );
}

function zeroVolumeRuns(bars: SymbolBars, c: BarChecks, add: Add): void {
  for (let k = 0; k < bars.n; ) {
    if (bars.volume[k] !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j + 1 < bars.n && bars.volume[j + 1] === 0) j++;
    if (j - k + 1 >= c.zeroVolumeRun)
      add('zero-volume', k, j, `${j - k + 1} consecutive bars with zero volume`);
    k = j + 1;
  }
}

/**
 * The refusal of `data check --strict` when suspicious bars were found: counts them by kind and names
 * the first (file, line and what was found).
 */
export function suspiciousRefusal(report: {
  readonly count: number;
  readonly byKind: Readonly<Record<SuspicionKind, number>>;
  readonly bars: readonly {
    kind: string;
    symbol: string;
    ts: string;
    file: string;
    line: number;
    detail: string;
  }[];
}) {
  const first = report.bars[0]!;
  const kinds = Object.entries(report.byKind)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return refuse(
    'BARS_SUSPICIOUS',
    { file: first.file, line: first.line },
    null,
    `${report.count} suspicious bar${report.count === 1 ? '' : 's'} (${kinds}) and --strict; the first: ${first.kind} ${first.symbol} ${first.ts}: ${first.detail}`,
    { count: report.count },
  );
}

/** ISO form of a suspicion for the report. */
export function suspicionReport(s: Suspicion) {
  return {
    kind: s.kind,
    symbol: s.symbol,
    ts: isoTs(s.ts),
    toTs: isoTs(s.toTs),
    file: s.file,
    line: s.line,
    detail: s.detail,
  };
}

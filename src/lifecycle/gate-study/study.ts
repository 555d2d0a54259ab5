// The gate study (pure): controlled arena lifetimes, null and edge, judged by the product's gate; its tasks
// run anywhere (workers or the main thread) and aggregate into the figures a risk committee asks for.
import { ConfigError } from '../../core/errors.js';
import { binomialInterval } from '../../metrics/index.js';
import { resolveSimConfig, type SimConfigInput } from '../../sim/index.js';
import { builtinNullLifetime } from './builtin-null.js';
import { defaultStudyGates, type StudyGate } from './configs.js';
import { DEFAULT_EXCESS_PROCESS, type ExcessProcess, syntheticLifetime } from './excess-process.js';
import { designsOf, type LifetimeOutcome, type LifetimeShape, runLifetime } from './lifetime.js';

export interface GateStudyOptions {
  /** Seed of every lifetime; the same seed and sizes give the same report on any number of workers. */
  readonly seed: number;
  /** Lifetimes of the synthetic null (paper trader and challengers without any edge). */
  readonly nullLifetimes: number;
  /** Lifetimes of each edge design (one challenger with the IR, the rest none). */
  readonly edgeLifetimes: number;
  /** Lifetimes of the built-in-market null (random-entry policies through the simulator). */
  readonly builtinLifetimes: number;
  /** Annualised IRs of the edge designs. */
  readonly irs: readonly number[];
  /** Horizons (hours) the power is reported at; the longest is the lifetime's length and maxEvalHours. */
  readonly horizons: readonly number[];
  /** Challengers per lifetime (the arena's slots). */
  readonly challengers: number;
  readonly process: ExcessProcess;
  /** Simulator settings of the built-in-market null (default: the product's defaults). */
  readonly sim?: SimConfigInput;
  /** Names of the gate configurations to run (default: all of defaultStudyGates()). */
  readonly gates?: readonly string[];
}

/** The configurations a study runs. */
export function studyGates(o: GateStudyOptions): StudyGate[] {
  const all = defaultStudyGates();
  if (!o.gates) return all;
  const unknown = o.gates.filter((n) => !all.some((g) => g.name === n));
  if (unknown.length > 0)
    throw new ConfigError(
      'GATE_STUDY_UNKNOWN_GATE',
      `unknown gate configuration(s) ${unknown.join(', ')}; known: ${all.map((g) => g.name).join(', ')}`,
    );
  return all.filter((g) => o.gates!.includes(g.name));
}

export const DEFAULT_GATE_STUDY: GateStudyOptions = {
  seed: 1,
  nullLifetimes: 2000,
  edgeLifetimes: 300,
  builtinLifetimes: 150,
  irs: [1, 2, 3, 5, 10],
  horizons: [168, 336, 672, 1344],
  challengers: 9,
  process: DEFAULT_EXCESS_PROCESS,
};

/** One unit of work: a lifetime of one design (an edge task runs every IR on the same shocks). */
export interface StudyTask {
  readonly design: 'null' | 'edge' | 'builtin';
  readonly index: number;
}

/** A task's outcomes: per IR (edge) or one row (null designs), each with one outcome per gate. */
export interface StudyTaskResult {
  readonly task: StudyTask;
  readonly outcomes: LifetimeOutcome[][];
}

export function studyTasks(o: GateStudyOptions): StudyTask[] {
  const tasks: StudyTask[] = [];
  for (let i = 0; i < o.nullLifetimes; i++) tasks.push({ design: 'null', index: i });
  for (let i = 0; i < o.edgeLifetimes; i++) tasks.push({ design: 'edge', index: i });
  for (let i = 0; i < o.builtinLifetimes; i++) tasks.push({ design: 'builtin', index: i });
  return tasks;
}

const HOURLY: Omit<LifetimeShape, 'maxChallengers' | 'maxEvalHours'> = {
  hoursPerBar: 1,
  periodsPerYear: 8760,
};

function shapeOf(o: GateStudyOptions): LifetimeShape {
  return { ...HOURLY, maxChallengers: o.challengers, maxEvalHours: Math.max(...o.horizons) };
}

/** Runs tasks (a worker's share, or all of them) with the study's gates. */
export function runStudyTasks(o: GateStudyOptions, tasks: readonly StudyTask[]): StudyTaskResult[] {
  const gates = studyGates(o);
  const shape = shapeOf(o);
  const designs = designsOf(gates, shape);
  const bars = shape.maxEvalHours;
  const sim = resolveSimConfig(o.sim ?? {});
  return tasks.map((task) => {
    const run = (c: { paper: Float64Array; challengers: Float64Array[] }) =>
      runLifetime(c.paper, c.challengers, gates, designs, shape);
    if (task.design === 'builtin')
      return { task, outcomes: [run(builtinNullLifetime(o.seed, task.index, bars, o.challengers, sim))] };
    const zeros = new Array<number>(o.challengers).fill(0);
    if (task.design === 'null')
      return {
        task,
        outcomes: [
          run(syntheticLifetime(o.seed, `null:${task.index}`, bars, zeros, HOURLY.periodsPerYear, o.process)),
        ],
      };
    return {
      task,
      outcomes: o.irs.map((ir) =>
        run(
          syntheticLifetime(
            o.seed,
            `edge:${task.index}`,
            bars,
            zeros.map((_, k) => (k === 0 ? ir : 0)),
            HOURLY.periodsPerYear,
            o.process,
          ),
        ),
      ),
    };
  });
}

/** A false promotion rate with its exact 95 % interval. */
export interface NullFigures {
  readonly lifetimes: number;
  /** Lifetimes with any promotion. */
  readonly promoted: number;
  readonly rate: number;
  readonly lower: number;
  readonly upper: number;
  /** Promotions per 1,000 challenger-weeks observed (a lifetime stops at its first promotion). */
  readonly per1000ChallengerWeeks: number;
}

export interface GateStudyRow {
  readonly name: string;
  readonly description: string;
  /** Share of synthetic null lifetimes with any promotion (the family-wise false promotion rate). */
  readonly falsePromotionRate: number;
  readonly nullSynthetic: NullFigures;
  readonly nullBuiltin: NullFigures;
  /** Share of edge lifetimes in which the edge challenger was promoted (first) within `hours`. */
  readonly power: { ir: number; hours: number; power: number }[];
  /** Median hours to the edge challenger's promotion (null when at most half were promoted by the end). */
  readonly medianHoursToPromotion: { ir: number; hours: number | null }[];
  /** Share of edge lifetimes whose first promotion was a challenger without edge. */
  readonly wrongChallengerFirstRate: { ir: number; rate: number }[];
  /** Smallest IR with 80 % power at each horizon (linear between the studied IRs; null above the largest). */
  readonly minDetectableIr: { hours: number; ir: number | null }[];
}

export interface GateStudyReport {
  readonly options: GateStudyOptions;
  readonly rows: GateStudyRow[];
}

function nullFigures(outcomes: LifetimeOutcome[], challengers: number, bars: number): NullFigures {
  const n = outcomes.length;
  const promoted = outcomes.filter((o) => o.hours !== null).length;
  const weeks = outcomes.reduce((s, o) => s + ((o.hours ?? bars) * challengers) / 168, 0);
  const ci = binomialInterval(promoted, n);
  return {
    lifetimes: n,
    promoted,
    rate: n > 0 ? promoted / n : Number.NaN,
    lower: ci.lower,
    upper: ci.upper,
    per1000ChallengerWeeks: weeks > 0 ? (promoted / weeks) * 1000 : Number.NaN,
  };
}

/** The report from every task's results (any order). */
export function aggregateStudy(o: GateStudyOptions, results: readonly StudyTaskResult[]): GateStudyReport {
  const gates = studyGates(o);
  const bars = Math.max(...o.horizons);
  const sorted = [...results].sort(
    (a, b) => a.task.design.localeCompare(b.task.design) || a.task.index - b.task.index,
  );
  const of = (design: StudyTask['design']) => sorted.filter((r) => r.task.design === design);
  const rows = gates.map((g, gi) => {
    const nullSynthetic = nullFigures(
      of('null').map((r) => r.outcomes[0]![gi]!),
      o.challengers,
      bars,
    );
    const nullBuiltin = nullFigures(
      of('builtin').map((r) => r.outcomes[0]![gi]!),
      o.challengers,
      bars,
    );
    const edge = of('edge');
    const power: GateStudyRow['power'] = [];
    const median: GateStudyRow['medianHoursToPromotion'] = [];
    const wrong: GateStudyRow['wrongChallengerFirstRate'] = [];
    o.irs.forEach((ir, k) => {
      const outs = edge.map((r) => r.outcomes[k]![gi]!);
      const right = outs.map((x) => (x.challenger === 0 ? x.hours! : Infinity)).sort((a, b) => a - b);
      for (const hours of o.horizons)
        power.push({
          ir,
          hours,
          power: outs.length ? right.filter((h) => h <= hours).length / outs.length : NaN,
        });
      const mid = right[Math.floor((right.length - 1) / 2)];
      median.push({ ir, hours: mid !== undefined && Number.isFinite(mid) ? mid : null });
      wrong.push({
        ir,
        rate: outs.length
          ? outs.filter((x) => x.challenger !== null && x.challenger !== 0).length / outs.length
          : NaN,
      });
    });
    const minDetectableIr = o.horizons.map((hours) => ({
      hours,
      ir: minDetectable(
        o.irs.map((ir) => ({ ir, power: power.find((p) => p.ir === ir && p.hours === hours)!.power })),
      ),
    }));
    return {
      name: g.name,
      description: g.description,
      falsePromotionRate: nullSynthetic.rate,
      nullSynthetic,
      nullBuiltin,
      power,
      medianHoursToPromotion: median,
      wrongChallengerFirstRate: wrong,
      minDetectableIr,
    };
  });
  return { options: o, rows };
}

/** The IR at which power first reaches 0.8, linear between grid points; null when it never does. */
export function minDetectable(curve: readonly { ir: number; power: number }[]): number | null {
  const pts = [...curve].sort((a, b) => a.ir - b.ir);
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    if (!(p.power >= 0.8)) continue;
    if (i === 0) return p.ir;
    const q = pts[i - 1]!;
    return q.ir + ((0.8 - q.power) / (p.power - q.power)) * (p.ir - q.ir);
  }
  return null;
}

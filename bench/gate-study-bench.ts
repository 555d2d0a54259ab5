// Headline figures of the gate study (a reduced run: the full one is `hybrid-trader gate-study`).
import { DEFAULT_GATE_STUDY } from '../src/lifecycle/gate-study/index.js';
import { runGateStudy } from '../src/runtime/gate-study.js';
import type { BenchFigure } from './sim-bench.js';

/** The seed rules' and the statistical rule's false promotion rate, power at IR 10, MDE, and run time. */
export async function gateStudyBenchmarks(): Promise<BenchFigure[]> {
  const options = {
    ...DEFAULT_GATE_STUDY,
    nullLifetimes: 400,
    edgeLifetimes: 100,
    builtinLifetimes: 20,
    gates: ['seed', 'spending'],
  };
  const run = await runGateStudy(options);
  const note = `${options.nullLifetimes} null, ${options.edgeLifetimes} edge lifetimes of 1344 h`;
  const figures: BenchFigure[] = [];
  for (const r of run.report.rows) {
    figures.push({
      name: `gate study ${r.name}: false promotion rate`,
      value: r.falsePromotionRate,
      unit: 'ratio',
      note,
    });
    const p = r.power.find((x) => x.ir === 10 && x.hours === 1344)!;
    figures.push({
      name: `gate study ${r.name}: power IR 10 in 1344 h`,
      value: p.power,
      unit: 'ratio',
      note,
    });
    const mde = r.minDetectableIr.find((m) => m.hours === 1344)!.ir;
    figures.push({
      name: `gate study ${r.name}: min detectable IR in 1344 h`,
      value: mde ?? Number.POSITIVE_INFINITY,
      unit: 'ratio',
      note: mde === null ? 'above the largest IR studied (10)' : note,
    });
  }
  figures.push({
    name: 'gate study (reduced) run time',
    value: run.seconds * 1000,
    unit: 'ms',
    note: `${run.workers} worker(s)`,
  });
  return figures;
}

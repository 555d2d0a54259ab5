// `hybrid-trader gate-study`: false promotion rate and power of gate configurations, by controlled experiment.
import type { Command } from 'commander';
import type { GateStudyReport, GateStudyRow } from '../../lifecycle/gate-study/index.js';
import { fmt } from '../format.js';
import { intOption, listOption, numberOption } from '../options.js';

interface GateStudyFlags {
  seed: number;
  nullLifetimes?: number;
  edgeLifetimes?: number;
  builtinLifetimes?: number;
  workers?: number;
  excessSd?: number;
  gates?: string[];
  json?: boolean;
}

const pct = (x: number) => fmt(x * 100, 1, ' %');

function nullLine(r: GateStudyRow, which: 'nullSynthetic' | 'nullBuiltin'): string {
  const f = r[which];
  return `${pct(f.rate)} [${pct(f.lower)}, ${pct(f.upper)}] (${f.promoted} of ${f.lifetimes}), ${fmt(f.per1000ChallengerWeeks, 2)} per 1,000 challenger-weeks`;
}

/** The report as tables: null rates, then power by IR and horizon, median hours, wrong-first, MDE. */
export function renderGateStudy(report: GateStudyReport, seconds: number, workers: number): string {
  const o = report.options;
  const lines: string[] = [
    `gate study: seed ${o.seed}, ${o.challengers} challengers per arena lifetime of ${Math.max(...o.horizons)} h (the longest horizon; maxEvalHours = it)`,
    `  null (synthetic, excess sd ${fmt(o.process.excessSd * 100, 2)} % per bar, t(${o.process.dof}) shocks, AR ${o.process.ar}, clustered volatility): ${o.nullLifetimes} lifetimes`,
    `  null (built-in market, random-entry paper trader and challengers through the simulator): ${o.builtinLifetimes} lifetimes`,
    `  edge: challenger 1 with annualised IR ${o.irs.join(', ')} over the paper trader, the rest none: ${o.edgeLifetimes} lifetimes each`,
    `  ${fmt(seconds, 1)} s on ${workers} worker(s)`,
    '',
  ];
  for (const r of report.rows) {
    lines.push(`${r.name}: ${r.description}`);
    lines.push(`  false promotion rate (synthetic null)   ${nullLine(r, 'nullSynthetic')}`);
    lines.push(`  false promotion rate (built-in market)  ${nullLine(r, 'nullBuiltin')}`);
    lines.push(`  power by IR (rows) and horizon (columns, h):`);
    lines.push(
      `    ${'IR'.padStart(4)} ${o.horizons.map((h) => String(h).padStart(7)).join('')}   median h   wrong first`,
    );
    for (const ir of o.irs) {
      const cells = o.horizons.map((h) =>
        pct(r.power.find((p) => p.ir === ir && p.hours === h)!.power).padStart(7),
      );
      const median = r.medianHoursToPromotion.find((m) => m.ir === ir)!.hours;
      const wrong = r.wrongChallengerFirstRate.find((w) => w.ir === ir)!.rate;
      lines.push(
        `    ${String(ir).padStart(4)} ${cells.join('')}   ${(median === null ? '-' : String(median)).padStart(8)}   ${pct(wrong).padStart(11)}`,
      );
    }
    lines.push(
      `  minimum detectable IR at 80 % power: ${r.minDetectableIr.map((m) => `${m.hours} h ${m.ir === null ? `> ${Math.max(...o.irs)}` : fmt(m.ir, 1)}`).join(', ')}`,
    );
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

export function registerGateStudy(program: Command): void {
  program
    .command('gate-study')
    .description(
      'measure gate configurations by controlled experiment: false promotion rate under no edge, power by IR and horizon',
    )
    .option('--seed <n>', 'seed of every lifetime (integer)', intOption('--seed'), 1)
    .option('--null-lifetimes <n>', 'synthetic null lifetimes (default 2000)', intOption('--null-lifetimes'))
    .option('--edge-lifetimes <n>', 'lifetimes per edge IR (default 300)', intOption('--edge-lifetimes'))
    .option(
      '--builtin-lifetimes <n>',
      'built-in-market null lifetimes (default 150)',
      intOption('--builtin-lifetimes'),
    )
    .option(
      '--excess-sd <fraction>',
      'sd of the synthetic per-bar excess return (default 0.004)',
      numberOption('--excess-sd', 1e-6, 1),
    )
    .option('--gates <names>', 'run only these configurations (comma-separated)', listOption('--gates'))
    .option('--workers <n>', 'worker threads (default: the available cores)', intOption('--workers', 1))
    .option('--json', 'print the report as JSON')
    .action(async (flags: GateStudyFlags) => {
      const { DEFAULT_GATE_STUDY } = await import('../../lifecycle/gate-study/index.js');
      const { runGateStudy } = await import('../../runtime/gate-study.js');
      const options = {
        ...DEFAULT_GATE_STUDY,
        seed: flags.seed,
        nullLifetimes: flags.nullLifetimes ?? DEFAULT_GATE_STUDY.nullLifetimes,
        edgeLifetimes: flags.edgeLifetimes ?? DEFAULT_GATE_STUDY.edgeLifetimes,
        builtinLifetimes: flags.builtinLifetimes ?? DEFAULT_GATE_STUDY.builtinLifetimes,
        ...(flags.gates ? { gates: flags.gates } : {}),
        process: {
          ...DEFAULT_GATE_STUDY.process,
          excessSd: flags.excessSd ?? DEFAULT_GATE_STUDY.process.excessSd,
        },
      };
      const run = await runGateStudy(options, flags.workers);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ ...run.report, seconds: run.seconds, workers: run.workers }, null, 2)}\n`
          : renderGateStudy(run.report, run.seconds, run.workers),
      );
    });
}

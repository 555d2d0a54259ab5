// The closing sentence of a comparison: which mode won this sample and by how much, against the
// benchmarks over the same bars, and that one sample decides little (with the command that would).
import type { ReplayResult } from '../replay.js';
import { windowLabel } from './replay-report.js';

const pct = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)} %`;
const pp = (x: number) => `${x.toFixed(2)} pp`;
const BENCHMARK_NAMES: Readonly<Record<string, string>> = {
  'equal-weight': 'equal weight',
  'buy-and-hold': 'buy and hold',
};

/**
 * A plain paragraph on `results` (one replay per mode over the same bars): the mode with the highest
 * return, its lead over the next one, the others, then the benchmarks (the arena's, and cash at 0 %) and
 * whether the winner beat each; last, that one sample proves little and `evaluateCommand` would decide.
 * Empty when no mode has a return.
 */
export function comparisonConclusion(results: readonly ReplayResult[], evaluateCommand: string): string {
  const ranked = results
    .filter((r): r is ReplayResult & { returnPct: number } => r.returnPct !== null)
    .sort((a, b) => b.returnPct - a.returnPct || a.mode.localeCompare(b.mode));
  const best = ranked[0];
  if (best === undefined) return '';
  const second = ranked[1];
  const others = ranked.slice(2).map((r) => `${r.mode} ${pct(r.returnPct)}`);
  const lead = second
    ? `, ${pp(best.returnPct - second.returnPct)} ahead of ${second.mode} (${pct(second.returnPct)})${others.length > 0 ? `; then ${others.join(', ')}` : ''}`
    : '';
  const benchmarks = [
    ...(results.find((r) => r.benchmarks.length > 0)?.benchmarks ?? [])
      .filter((b): b is typeof b & { returnPct: number } => b.returnPct !== null)
      .map((b) => ({ name: BENCHMARK_NAMES[b.name] ?? b.name, returnPct: b.returnPct })),
    { name: 'cash', returnPct: 0 },
  ];
  const beaten = benchmarks.filter((b) => best.returnPct > b.returnPct).map((b) => b.name);
  const ahead = benchmarks.filter((b) => best.returnPct <= b.returnPct);
  const verdict =
    ahead.length === 0
      ? `${best.mode} beat all of them`
      : `${best.mode} ${beaten.length > 0 ? `beat ${beaten.join(' and ')} but ` : ''}trailed ${ahead
          .map((b) => `${b.name} by ${pp(b.returnPct - best.returnPct)}`)
          .join(' and ')}`;
  const inSample = results.some((r) => r.inSample.length > 0)
    ? 'In-sample (models were trained or validated on these bars, so this measures fit, not trading): '
    : '';
  return [
    `${inSample}Over ${windowLabel(best.window)}, ${best.mode} made the most: ${pct(best.returnPct)}${lead}.`,
    `Over the same bars ${benchmarks.map((b) => `${b.name} made ${pct(b.returnPct)}`).join(', ')}: ${verdict}.`,
    `One synthetic sample proves little: ${evaluateCommand} trains and replays every mode over many out-of-sample windows and counts how often each beats the others and the benchmarks.`,
  ].join(' ');
}

// The gate configurations a gate study compares: the seed's rules, then the statistical rule step by step.
import { type GateConfig, GateConfigSchema } from '../arena/index.js';

/** A named gate configuration of the study. */
export interface StudyGate {
  readonly name: string;
  readonly description: string;
  readonly gate: GateConfig;
}

const SEED = { minHours: 168, minExcessPct: 2, minSharpe: 0 } as const;

/**
 * The default comparison: the seed's three rules alone; with a HAC t-test looked at every hour at 5 %
 * (no correction); with Holm across the challengers only; with the mSPRT (always valid) and Holm; with
 * O'Brien-Fleming-type alpha spending and Holm (the product's default test). The seed's rules stay in all.
 */
export function defaultStudyGates(): StudyGate[] {
  const gate = (test: Record<string, unknown> | null) => GateConfigSchema.parse({ ...SEED, test });
  return [
    { name: 'seed', description: '168 h, +2 pp over the paper trader, Sharpe > 0', gate: gate(null) },
    {
      name: 'hourly-t',
      description: 'seed + HAC t at 5 % every hour, no correction',
      gate: gate({ sequential: 'none', family: 'none' }),
    },
    {
      name: 'holm',
      description: 'seed + HAC t, Holm over 9 challengers, no correction for hourly looks',
      gate: gate({ sequential: 'none', family: 'holm' }),
    },
    {
      name: 'msprt',
      description: 'seed + HAC mSPRT (always valid, mixture IR 10), Holm',
      gate: gate({ sequential: 'msprt', family: 'holm' }),
    },
    {
      name: 'spending',
      description: "seed + HAC t, O'Brien-Fleming-type alpha spending over the horizon, Holm",
      gate: gate({ sequential: 'spending', family: 'holm' }),
    },
  ];
}

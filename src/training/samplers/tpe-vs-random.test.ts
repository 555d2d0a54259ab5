// TPE against random search on toy problems, through TrialContext and the in-memory storage.
import { describe, expect, it } from 'vitest';
import { NopPruner } from '../pruners/index.js';
import { asyncStudyStorage } from '../storage/study-storage.js';
import { MemoryStorage } from '../testing/memory-storage.js';
import { TrialContext } from '../trial-context.js';
import { RandomSampler } from './random-sampler.js';
import type { Sampler } from './sampler.js';
import { TpeSampler } from './tpe-sampler.js';

/** Runs `trials` sequential trials maximising `objective`; returns the best value. */
async function bestOf(
  sampler: Sampler,
  trials: number,
  objective: (ctx: TrialContext) => number,
): Promise<number> {
  const storage = new MemoryStorage();
  const { studyId } = storage.createStudy('toy', 'maximize');
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < trials; i++) {
    const { trialId, number } = storage.createTrial(studyId);
    const ctx = await TrialContext.open(
      asyncStudyStorage(storage),
      studyId,
      trialId,
      number,
      sampler,
      new NopPruner(),
      'maximize',
    );
    const value = objective(ctx);
    await ctx.finish('COMPLETE', value);
    best = Math.max(best, value);
  }
  return best;
}

const quadratic = (ctx: TrialContext) => {
  const x = ctx.suggestFloat('x', -5, 5);
  const y = ctx.suggestFloat('y', -5, 5);
  return -((x - 0.3) ** 2) - (y + 1) ** 2;
};

const SCORES: Record<string, number> = { sgd: 0, adam: 2, rmsprop: 1, lion: 0.5, adagrad: 0.2, none: -1 };
const toy = (ctx: TrialContext) => {
  const optimiser = ctx.suggestCategorical('optimiser', Object.keys(SCORES));
  const layers = ctx.suggestInt('layers', 1, 64);
  const width = ctx.suggestInt('width', 8, 1024, { log: true });
  return SCORES[optimiser] - Math.abs(layers - 37) / 8 - Math.abs(Math.log2(width / 256));
};

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[4] + sorted[5]) / 2;
}

/** Best values of TPE and random search per seed, and how often TPE was strictly better. */
async function compare(objective: (ctx: TrialContext) => number, trials: number) {
  const tpe: number[] = [];
  const random: number[] = [];
  for (const seed of SEEDS) {
    tpe.push(await bestOf(new TpeSampler({ seed }), trials, objective));
    random.push(await bestOf(new RandomSampler({ seed }), trials, objective));
  }
  return { tpe: median(tpe), random: median(random), wins: tpe.filter((v, i) => v > random[i]).length };
}

describe('TPE beats random search (10 fixed seeds, 60 trials)', () => {
  it('on a 2-d quadratic over [-5, 5]^2', async () => {
    // Seen: TPE better for 8 seeds (1 tie: both found their best in the 10 shared random startup
    // trials); median best -0.055 against -0.40.
    const { tpe, random, wins } = await compare(quadratic, 60);
    expect(wins).toBeGreaterThanOrEqual(7);
    expect(tpe).toBeGreaterThan(random);
  });

  it('on a categorical + int + log-int toy', async () => {
    // Seen: TPE better for 8 seeds (1 tie); median best 1.58 against 0.41 (optimum 2).
    const { tpe, random, wins } = await compare(toy, 60);
    expect(wins).toBeGreaterThanOrEqual(7);
    expect(tpe).toBeGreaterThan(random);
  });
});

// The Parzen estimator against Optuna 3.1's _ParzenEstimator, and its draws against its own density.
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/random.js';
import { type Distribution, floatDistribution, intDistribution, type ParamValue } from '../distributions.js';
import {
  buildParzenEstimator,
  kernelBandwidths,
  mixtureWeights,
  type ParzenParameters,
} from './parzen-estimator.js';
import { toInternal } from './search-space.js';
import { defaultWeights } from './tpe-sampler.js';

const DEFAULTS: ParzenParameters = {
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  weights: defaultWeights,
};

const float = floatDistribution;
const int = intDistribution;
const ramp = Array.from({ length: 30 }, (_, i) => ((i * 37) % 30) / 3);

// Golden values: Optuna 3.1.0 (Debian python3-optuna), _ParzenEstimator({p: observations}, {p: d},
// params).log_pdf({p: points}) with default_weights, observations and points in external form
// (categoricals as indices), with the fix of optuna#5109 (Optuna 3.5) applied: 3.1 leaves -log(sigma)
// out of each continuous kernel's log density. Script: docs/search.md, "Checking against Optuna".
const GOLDEN: {
  name: string;
  d: Distribution;
  observations: ParamValue[];
  points: ParamValue[];
  logPdf: number[];
  options?: Partial<ParzenParameters>;
}[] = [
  {
    name: 'float',
    d: float(-5, 5),
    observations: [0.1, 1.2, -3],
    points: [-5, -4.9, 0, 0.5, 3.3, 5],
    logPdf: [
      -2.794298034144854, -2.7743662565844023, -1.920561240590298, -1.920806204976409, -2.6138846877283983,
      -3.3459628104467942,
    ],
  },
  {
    name: 'float, no observations (prior only)',
    d: float(-5, 5),
    observations: [],
    points: [-5, 0, 2],
    logPdf: [-2.386607292503096, -2.261607292503096, -2.2816072925030957],
  },
  {
    name: 'float, one observation',
    d: float(0, 1),
    observations: [0.9],
    points: [0, 0.5, 0.9, 1],
    logPdf: [-0.639883546621038, 0.035984305917457715, 0.28604443450334016, 0.24984917472100188],
  },
  {
    name: 'float, considerEndpoints',
    d: float(-5, 5),
    observations: [0.1, 1.2, -3, 4.9],
    points: [-4.9, 0, 4.95],
    logPdf: [-2.8740685749332613, -2.012251583350669, -2.540420392721793],
    options: { considerEndpoints: true },
  },
  {
    name: 'float, no prior, no magic clip',
    d: float(-5, 5),
    observations: [0.1, 0.1001, -3],
    points: [-4.9, 0.1, 0.5],
    logPdf: [-2.79022836247013, 6.692892947731632, -2.5451110398835617],
    options: { considerPrior: false, considerMagicClip: false },
  },
  {
    name: 'log float',
    d: float(1e-4, 1, { log: true }),
    observations: [0.001, 0.02, 0.5],
    points: [0.0001, 0.001, 0.3, 1],
    logPdf: [-2.6973895203955776, -2.1962391133548587, -2.231065933291349, -2.3508554945077584],
  },
  {
    name: 'stepped float',
    d: float(0, 1, { step: 0.1 }),
    observations: [0.2, 0.2, 0.7],
    points: [0, 0.2, 0.5, 1],
    logPdf: [-2.4146615468456125, -2.1226472832674794, -2.2885592477335432, -3.1761241216836926],
  },
  {
    name: 'int',
    d: int(1, 64),
    observations: [3, 10, 10, 40],
    points: [1, 10, 11, 64],
    logPdf: [-3.6222366333245946, -3.5763021232311436, -3.599250302323911, -5.575247205671941],
  },
  {
    name: 'stepped int, prior weight 2',
    d: int(0, 100, { step: 5 }),
    observations: [5, 50, 55],
    points: [0, 50, 100],
    logPdf: [-3.2027287455636158, -2.8131497197538176, -3.585224633853286],
    options: { priorWeight: 2 },
  },
  {
    name: 'log int',
    d: int(8, 1024, { log: true }),
    observations: [16, 256],
    points: [8, 100, 1024],
    logPdf: [-1.7526573882974301, -1.4721946800224173, -2.0083496800413703],
  },
  {
    name: 'float, 30 observations (ramped weights)',
    d: float(0, 10),
    observations: ramp,
    points: [0.05, 3.3, 9.9],
    logPdf: [-3.0128656361164623, -2.224778246695999, -2.9294390732800566],
  },
  {
    name: 'categorical',
    d: { kind: 'categorical', choices: ['a', 'b', 'c', 'd'] },
    observations: ['a', 'c', 'c'],
    points: ['a', 'b', 'c', 'd'],
    logPdf: [-1.2685113254635072, -1.856297990365626, -0.9007865453381898, -1.856297990365626],
  },
  {
    name: 'categorical, no prior, prior weight 0.5',
    d: { kind: 'categorical', choices: ['a', 'b', 'c'] },
    observations: ['b', 'b', 'a'],
    points: ['a', 'b', 'c'],
    logPdf: [-1.09861228866811, -0.5877866649021193, -2.1972245773362196],
    options: { considerPrior: false, priorWeight: 0.5 },
  },
];

describe('Parzen estimator matches Optuna 3.1 log densities', () => {
  for (const g of GOLDEN) {
    it(g.name, () => {
      const internal = g.observations.map((v) => toInternal(g.d, v) as number);
      const estimator = buildParzenEstimator(internal, g.d, { ...DEFAULTS, ...g.options });
      g.points.forEach((point, i) => {
        expect(estimator.logPdf(point)).toBeCloseTo(g.logPdf[i], 9);
      });
    });
  }
});

describe('Parzen estimator pieces', () => {
  it('bandwidths: larger neighbour gap, inner gap at the ends, magic clip, prior gets the range', () => {
    // sorted with ends: -5 | -3, 0.1, 0 (prior), 1.2 | 5
    const mus = Float64Array.from([0.1, 1.2, -3, 0]);
    const sigmas = kernelBandwidths(mus, -5, 5, DEFAULTS, true);
    // -3: inner gap 3 (not 2 to the end); 0: max(3, 0.1); 0.1: max(0.1, 1.1) and 1.2: inner gap 1.1,
    // both raised to the magic clip range / min(100, 1 + 4) = 2; the prior: the range
    expect(Array.from(sigmas)).toEqual([2, 2, 3, 10]);
    const clipped = kernelBandwidths(Float64Array.from([0, 0.001, 10]), 0, 10, DEFAULTS, false);
    expect(clipped[0]).toBeCloseTo(10 / 4, 12); // max gap 0.001 raised to range / (1 + 3)
  });

  it('mixture weights are normalised, prior last, and refuse bad weight functions', () => {
    expect(Array.from(mixtureWeights(3, DEFAULTS))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(mixtureWeights(0, { ...DEFAULTS, considerPrior: false }))).toEqual([1]);
    expect(() => mixtureWeights(2, { ...DEFAULTS, weights: () => [1] })).toThrow(/weights\(2\)/);
    expect(() => mixtureWeights(1, { ...DEFAULTS, weights: () => [-1] })).toThrow(/non-negative/);
  });

  it('draws follow the estimator: the sample mean of a fitted log float matches its density', () => {
    const d = float(1e-4, 1, { log: true });
    const estimator = buildParzenEstimator([Math.log(0.01), Math.log(0.02)], d, DEFAULTS);
    const draws = estimator.sample(new RandomStream(7, 'parzen'), 4000) as number[];
    const meanLog = draws.reduce((s, v) => s + Math.log(v), 0) / draws.length;
    // Expected mean of log x by integrating the density over the internal (log) space.
    let expected = 0;
    let mass = 0;
    const lo = Math.log(1e-4);
    const width = -lo / 4000;
    for (let i = 0; i < 4000; i++) {
      const x = lo + (i + 0.5) * width;
      const p = Math.exp(estimator.logPdf(Math.exp(x))) * width;
      expected += x * p;
      mass += p;
    }
    expect(mass).toBeCloseTo(1, 3);
    expect(meanLog).toBeCloseTo(expected, 1);
    for (const v of draws) expect(v >= 1e-4 && v <= 1).toBe(true);
  });

  it('discrete densities sum to one over the grid', () => {
    const d = int(0, 100, { step: 5 });
    const estimator = buildParzenEstimator([5, 50, 55], d, DEFAULTS);
    let total = 0;
    for (let v = 0; v <= 100; v += 5) total += Math.exp(estimator.logPdf(v));
    expect(total).toBeCloseTo(1, 6);
    expect(estimator.logPdf(7)).toBe(Number.NEGATIVE_INFINITY);
  });
});

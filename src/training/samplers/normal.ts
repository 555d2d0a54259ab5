// The standard normal distribution for the Parzen estimator: erfc, interval masses, truncated draws.
import { InvariantError } from '../../core/errors.js';
import type { RandomStream } from '../../core/random.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** erf(x) for 0 <= x < 2.5 by the series 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!! (all terms > 0). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= 2.5 by its continued fraction (modified Lentz), relative error ~1e-15. */
function erfcContinuedFraction(x: number): number {
  // erfc(x) = e^(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * ONE_OVER_SQRT_PI) / f;
}

/** The complementary error function; relative error below 1e-12 for every finite x (0 beyond x = 27). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return erfcContinuedFraction(x);
}

/** Upper tail Q(z) = P(Z > z) of the standard normal, accurate in the tail. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** P(a <= Z <= b) for the standard normal, computed on the side that keeps precision; 0 when a >= b. */
export function normalIntervalMass(a: number, b: number): number {
  if (!(a < b)) return 0;
  if (a >= 0) return Math.max(0, normalUpperTail(a) - normalUpperTail(b));
  if (b <= 0) return Math.max(0, normalUpperTail(-b) - normalUpperTail(-a));
  return Math.max(0, 1 - normalUpperTail(-a) - normalUpperTail(b));
}

/** ln of the standard normal density's normaliser, ln(sqrt(2 pi)). */
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

const MAX_REJECTIONS = 10_000;
const normalBuffer = new Float64Array(1);

/**
 * A standard normal truncated to [a, b], drawn exactly by rejection: from N(0, 1) when the interval is
 * wide, from uniform on [a, b] under the envelope 1 when it is narrow. Requires a <= 0 <= b (the Parzen
 * estimator's kernels are centred inside their bounds), which keeps both acceptance rates above 0.49.
 * Throws InvariantError when the interval does not contain 0.
 */
export function sampleTruncatedStandardNormal(stream: RandomStream, a: number, b: number): number {
  if (!(a <= 0 && b >= 0)) {
    throw new InvariantError('TRUNCATED_NORMAL_BOUNDS', `truncation [${a}, ${b}] must contain 0`, { a, b });
  }
  if (a === b) return a;
  const wide = b - a >= 2.5;
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    if (wide) {
      stream.fillNormal(normalBuffer);
      const z = normalBuffer[0];
      if (z >= a && z <= b) return z;
    } else {
      const z = a + (b - a) * stream.uniform();
      if (stream.uniform() < Math.exp(-0.5 * z * z)) return z;
    }
  }
  throw new InvariantError('TRUNCATED_NORMAL_REJECTION', `no draw accepted in [${a}, ${b}]`, { a, b });
}

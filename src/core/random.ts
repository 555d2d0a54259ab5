// Seeded random variates (uniform, normal, Student-t) on pure-rand's xoroshiro128+, identical on every machine; never Math.random.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

const UINT32_RANGE = 4_294_967_296;

/** 32-bit FNV-1a hash of a string's UTF-16 code units: stable across machines and runs. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit avalanche mix (splitmix32 finaliser), returned unsigned. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A stream of random variates for one (seed, stream key) pair. Distinct streams of one seed are
 * independent, so an asset's path does not change when other assets join the universe, and draws
 * are consumed in bar order, so a shorter run is a prefix of a longer one. Bulk fills keep the hot
 * loops small (they reach optimised code after a few hundred draws, which matters for a cold start).
 * Uses only +, *, /, Math.log, Math.exp and Math.sqrt on IEEE doubles: the same numbers everywhere.
 */
export class RandomStream {
  private readonly rng: RandomGenerator;

  /** `seed`: any safe integer; `streamKey`: names the stream (e.g. "asset:BTC/USDT:shock"). */
  constructor(seed: number, streamKey: string) {
    const stream = hashString(streamKey);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / UINT32_RANGE) >>> 0;
    const w0 = mix32(lo ^ mix32(stream));
    const w1 = mix32(w0 ^ hi);
    const w2 = mix32(w1 ^ stream);
    const w3 = mix32(w2 ^ 0x5bd1e995);
    // xoroshiro128+ must not start from the all-zero state.
    this.rng = xoroshiro128plusFromState([w0 | 0, w1 | 0, w2 | 0, (w0 | w1 | w2 | w3) === 0 ? 1 : w3 | 0]);
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** Fills `out` with uniforms in [0, 1), 53 random bits each. */
  fillUniform(out: Float64Array): void {
    const rng = this.rng;
    for (let i = 0; i < out.length; i++) out[i] = uniformFloat64(rng);
  }

  /** Fills `out` with standard normals N(0, 1) by Marsaglia's polar method (no trigonometry). */
  fillNormal(out: Float64Array): void {
    const rng = this.rng;
    for (let i = 0; i < out.length; i += 2) {
      let u: number;
      let v: number;
      let w: number;
      do {
        u = 2 * uniformFloat64(rng) - 1;
        v = 2 * uniformFloat64(rng) - 1;
        w = u * u + v * v;
      } while (w >= 1 || w === 0);
      const scale = Math.sqrt((-2 * Math.log(w)) / w);
      out[i] = u * scale;
      if (i + 1 < out.length) out[i + 1] = v * scale;
    }
  }

  /**
   * Fills `out` with Student-t variates of `dof` > 2 degrees of freedom scaled to unit variance,
   * by Bailey's polar method: T = U sqrt(dof (W^(-2/dof) - 1) / W), times sqrt((dof - 2) / dof).
   */
  fillStudentT(out: Float64Array, dof: number): void {
    const rng = this.rng;
    const unitVariance = Math.sqrt((dof - 2) / dof);
    const exponent = -2 / dof;
    for (let i = 0; i < out.length; i++) {
      let u: number;
      let w: number;
      do {
        u = 2 * uniformFloat64(rng) - 1;
        const v = 2 * uniformFloat64(rng) - 1;
        w = u * u + v * v;
      } while (w >= 1 || w === 0);
      out[i] = unitVariance * u * Math.sqrt((dof * (Math.exp(exponent * Math.log(w)) - 1)) / w);
    }
  }
}

// The built-in-market null of the gate study: a paper trader and challengers that all enter and leave at
// random with the same intensity (no skill difference by construction), stepped through the one simulator.
import { hashString, mix32 } from '../../core/random.js';
import { generateSyntheticMarket } from '../../market/synth.js';
import { holdCurrent, type Policy } from '../../models/index.js';
import { createPortfolio, PolicyStepper, type SimConfig, Simulator } from '../../sim/index.js';

/** A uniform in [0, 1) from (key, t, salt): pure, so a policy built on it is a function of t alone. */
function uniformAt(key: number, t: number, salt: number): number {
  return mix32(key ^ mix32(t * 31 + salt)) / 4_294_967_296;
}

/**
 * A random-entry policy: at each bar, with probability `changeProbability`, it picks a new random subset
 * of the assets (each with probability 1/2) and splits up to 95 % of equity over them within the 30 % cap;
 * otherwise it holds what it has. Every such policy has the same expected turnover and no information.
 */
export function randomEntryPolicy(
  symbols: readonly string[],
  key: string,
  changeProbability: number,
): Policy {
  const k = hashString(key);
  return {
    name: `gate-study:random-entry?key=${key}`,
    symbols,
    warmupBars: 0,
    decide(ctx, out) {
      if (uniformAt(k, ctx.t, 0) >= changeProbability) {
        holdCurrent(ctx.weights, out);
        return;
      }
      let chosen = 0;
      for (let j = 0; j < out.length; j++) {
        out[j] = uniformAt(k, ctx.t, j + 1) < 0.5 ? 1 : 0;
        chosen += out[j]!;
      }
      const w = chosen === 0 ? 0 : Math.min(0.3, 0.95 / chosen);
      for (let j = 0; j < out.length; j++) out[j]! *= w;
    },
  };
}

/**
 * One lifetime on the built-in market (its own synthetic seed per lifetime): the paper trader's and the
 * challengers' equity curves (point 0 = starting equity) over `bars` frames, each portfolio stepped
 * through PolicyStepper and the Simulator exactly as the paper trader and the arena step theirs.
 */
export function builtinNullLifetime(
  seed: number,
  lifetime: number,
  bars: number,
  challengers: number,
  simConfig: Readonly<SimConfig>,
  changeProbability = 1 / 24,
): { paper: Float64Array; challengers: Float64Array[] } {
  const market = generateSyntheticMarket({ seed: seed * 100_003 + lifetime, bars });
  const stepper = new PolicyStepper(new Simulator(simConfig, market.symbols, market.timeframeMs));
  const run = (key: string) => {
    const policy = randomEntryPolicy(market.symbols, `${seed}:${lifetime}:${key}`, changeProbability);
    const p = createPortfolio(market.symbols, 10_000);
    const curve = new Float64Array(bars + 1);
    curve[0] = 10_000;
    for (let t = 0; t < bars; t++) curve[t + 1] = stepper.step(p, market, t, policy);
    return curve;
  };
  return {
    paper: run('paper'),
    challengers: Array.from({ length: challengers }, (_, i) => run(`challenger:${i}`)),
  };
}

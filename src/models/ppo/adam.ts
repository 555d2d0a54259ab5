// Adam with bias correction, and global gradient-norm clipping, over one flat parameter vector.

/** Adam's moment decay rates (Kingma and Ba's defaults, as in PyTorch and Stable-Baselines3). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;

/**
 * Adam over a flat parameter vector: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr x (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon). Keeps its moments; allocates nothing per step.
 */
export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly epsilon: number,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One update of `params` along `grads` (same length as the optimiser). */
  step(params: Float64Array, grads: Float64Array): void {
    this.t++;
    const m = this.m;
    const v = this.v;
    const c1 = 1 - ADAM_BETA1 ** this.t;
    const c2 = 1 - ADAM_BETA2 ** this.t;
    const lr = this.learningRate;
    const eps = this.epsilon;
    for (let k = 0; k < params.length; k++) {
      const g = grads[k]!;
      const mk = ADAM_BETA1 * m[k]! + (1 - ADAM_BETA1) * g;
      const vk = ADAM_BETA2 * v[k]! + (1 - ADAM_BETA2) * g * g;
      m[k] = mk;
      v[k] = vk;
      params[k] = params[k]! - (lr * (mk / c1)) / (Math.sqrt(vk / c2) + eps);
    }
  }
}

/**
 * Scales `grads` in place so that their global L2 norm is at most `maxNorm`; returns the norm before
 * clipping. A non-finite norm leaves the gradient as it is (the caller decides what to do).
 */
export function clipGradNorm(grads: Float64Array, maxNorm: number): number {
  let ss = 0;
  for (let k = 0; k < grads.length; k++) ss += grads[k]! * grads[k]!;
  const norm = Math.sqrt(ss);
  if (norm > maxNorm && Number.isFinite(norm)) {
    const scale = maxNorm / norm;
    for (let k = 0; k < grads.length; k++) grads[k] = grads[k]! * scale;
  }
  return norm;
}

// Feature normalisation fitted on a training range: per-feature z-score pooled over symbols, then clipped.
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { FeatureStore } from './feature-store.js';

/** Default clip bound of a normalised value: z-scores beyond +-5 are clipped. */
export const DEFAULT_CLIP = 5;

/** A std at or below this is treated as zero: the feature is then only centred (scale 1). */
export const MIN_STD = 1e-12;

/**
 * The normalisation of each feature, fitted on frames [fromT, toT) of a store: the mean and the
 * population std of that feature's finite values pooled over all symbols. Applied as
 * `clip((x - mean) / scale, -clip, clip)` with `scale = std > 1e-12 ? std : 1`. Plain JSON, stored in
 * the model manifest.
 */
export const normalisationSchema = z
  .strictObject({
    kind: z.literal('pooled-zscore'),
    features: z.array(z.string().min(1)).min(1).readonly(),
    mean: z.array(z.number()).readonly(),
    std: z.array(z.number().nonnegative()).readonly(),
    /** Number of finite values each mean and std was computed from. */
    count: z.array(z.number().int().positive()).readonly(),
    clip: z.number().positive(),
    /** The fitting range, frames [fromT, toT) of the store, and the open times of its first and last frame. */
    fromT: z.number().int().nonnegative(),
    toT: z.number().int().positive(),
    firstTs: z.number(),
    lastTs: z.number(),
  })
  .refine(
    (v) =>
      v.mean.length === v.features.length &&
      v.std.length === v.features.length &&
      v.count.length === v.features.length,
    { message: 'mean, std and count must have one entry per feature' },
  )
  .refine((v) => v.fromT < v.toT, { message: 'fromT must be < toT' });

/** A fitted normalisation (see `normalisationSchema`). */
export type Normalisation = z.infer<typeof normalisationSchema>;

/**
 * Fits the normalisation of every feature of `store` on frames [fromT, toT) only: the training range.
 * Values outside it are never read. NaN values (before a feature's warm-up) are skipped. Throws
 * ConfigError when the range is not inside [0, store.length) or leaves a feature without any value.
 */
export function fitNormalisation(
  store: FeatureStore,
  fromT: number,
  toT: number,
  options: { clip?: number } = {},
): Normalisation {
  const clip = options.clip ?? DEFAULT_CLIP;
  if (!Number.isInteger(fromT) || !Number.isInteger(toT) || fromT < 0 || toT <= fromT || toT > store.length)
    throw new ConfigError(
      'NORMALISATION_RANGE_INVALID',
      `normalisation range must satisfy 0 <= fromT < toT <= ${store.length} (frames computed), was [${fromT}, ${toT})`,
      { fromT, toT, frames: store.length },
    );
  if (!(clip > 0) || !Number.isFinite(clip))
    throw new ConfigError('NORMALISATION_CLIP_INVALID', `clip must be a finite number > 0, was ${clip}`, {
      clip,
    });
  const n = store.symbols.length;
  const nf = store.features.length;
  const v = store.values;
  const mean: number[] = [];
  const std: number[] = [];
  const count: number[] = [];
  for (let f = 0; f < nf; f++) {
    let sum = 0;
    let m = 0;
    for (let k = fromT * n * nf + f; k < toT * n * nf; k += nf) {
      const x = v[k]!;
      if (Number.isFinite(x)) {
        sum += x;
        m++;
      }
    }
    if (m === 0)
      throw new ConfigError(
        'NORMALISATION_RANGE_EMPTY',
        `feature ${store.features[f]} has no valid value in frames [${fromT}, ${toT}); its warm-up is frame ${store.warmUps[f]}`,
        { feature: store.features[f], fromT, toT, warmUp: store.warmUps[f] },
      );
    const mu = sum / m;
    let ss = 0;
    for (let k = fromT * n * nf + f; k < toT * n * nf; k += nf) {
      const x = v[k]!;
      if (Number.isFinite(x)) ss += (x - mu) * (x - mu);
    }
    mean.push(mu);
    std.push(Math.sqrt(ss / m));
    count.push(m);
  }
  return {
    kind: 'pooled-zscore',
    features: [...store.features],
    mean,
    std,
    count,
    clip,
    fromT,
    toT,
    firstTs: store.ts[fromT]!,
    lastTs: store.ts[toT - 1]!,
  };
}

/** `clip((x - mean) / scale)` for feature `f` of `norm`; never NaN or infinite for a finite x. */
export function normaliseValue(norm: Normalisation, f: number, x: number): number {
  const s = norm.std[f]!;
  const z = (x - norm.mean[f]!) / (s > MIN_STD ? s : 1);
  const c = norm.clip;
  return Math.min(c, Math.max(-c, z));
}

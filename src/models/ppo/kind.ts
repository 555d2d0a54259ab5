// The PPO kind: an MLP actor over the observation (features x lookback + portfolio weights), stored in
// weights.bin; trained by PPO stage by stage on each validation fold's training range only.
import { join } from 'node:path';
import { z } from 'zod';
import { ModelError } from '../../core/errors.js';
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  type Normalisation,
  normalisationSchema,
  type ObservationSpec,
  observationSize,
  updateFeatures,
} from '../../features/index.js';
import { assertObservationFits } from '../bundle/compatibility.js';
import { type KindFields, kindManifestSchema } from '../bundle/manifest.js';
import { decodeNetwork, encodeNetwork, layerSizes } from '../bundle/network-codec.js';
import { sha256Hex } from '../bundle/sha256.js';
import {
  defineKind,
  type FrameSpan,
  type ParamSuggester,
  type TrainingContext,
  type TrialModel,
} from '../kind.js';
import type { Mlp } from '../mlp.js';
import { createMlpPolicy } from '../mlp-policy.js';
import { type PpoParamsInput, resolvePpoParams } from './params.js';
import { type PpoTrainResult, trainPpo } from './train-ppo.js';

export const WEIGHTS_FILE = 'weights.bin';

/** A dense network stored in weights.bin: layer sizes declared here, never inferred from the file. */
export const NetworkSpecSchema = z.strictObject({
  /** Sizes input, hidden..., output; weights.bin holds, per layer, W (outputs x inputs) then b. */
  layerSizes: z.array(z.number().int().positive()).min(2),
  /** Hidden activation (the output layer is linear). */
  activation: z.literal('tanh'),
  /** The output head: softmax over [cash, symbols...] gives the target weights. */
  head: z.literal('softmax-cash-first'),
  /** sha256 of weights.bin, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type NetworkSpec = z.infer<typeof NetworkSpecSchema>;

export const PpoManifestSchema = kindManifestSchema('ppo', {
  /** Feature names in observation order. */
  features: z.array(z.string()).min(1),
  lookback: z.number().int().min(1),
  /** Length of the observation vector: symbols x features x lookback + 1 + symbols (portfolio weights). */
  observationSize: z.number().int().positive(),
  /** Feature normalisation fitted on the training range only. */
  normalisation: normalisationSchema,
  network: NetworkSpecSchema,
});
export type PpoManifest = z.infer<typeof PpoManifestSchema>;

/** The manifest fields and files of an actor network for `spec` (training, benches, tests). */
export function ppoBundleParts(
  spec: ObservationSpec,
  normalisation: Normalisation,
  actor: Mlp,
  params: Record<string, unknown>,
): { manifest: KindFields<PpoManifest>; files: Map<string, Uint8Array> } {
  const weights = encodeNetwork(actor);
  return {
    manifest: {
      kind: 'ppo',
      features: [...spec.features],
      lookback: spec.lookback,
      observationSize: observationSize(spec),
      normalisation,
      network: {
        layerSizes: layerSizes(actor),
        activation: 'tanh',
        head: 'softmax-cash-first',
        sha256: sha256Hex(weights),
      },
      params,
    },
    files: new Map([[WEIGHTS_FILE, weights]]),
  };
}

/** Samples every searched PPO hyperparameter (the rest keep their defaults, see PpoParamsSchema). */
export function suggestPpo(
  trial: ParamSuggester,
  totalSteps: number,
): { params: PpoParamsInput; lookback: number } {
  const params: PpoParamsInput = {
    learningRate: trial.suggestFloat('learningRate', 1e-5, 3e-3, { log: true }),
    gamma: trial.suggestFloat('gamma', 0.9, 0.999),
    gaeLambda: trial.suggestFloat('gaeLambda', 0.8, 1),
    clipRange: trial.suggestFloat('clipRange', 0.1, 0.3),
    entropyCoef: trial.suggestFloat('entropyCoef', 1e-5, 0.05, { log: true }),
    valueCoef: trial.suggestFloat('valueCoef', 0.25, 1),
    epochs: trial.suggestInt('epochs', 2, 8),
    minibatchSize: trial.suggestCategorical('minibatchSize', [64, 128, 256]),
    rolloutSteps: trial.suggestCategorical('rolloutSteps', [512, 1024, 2048]),
    hiddenSize: trial.suggestCategorical('hiddenSize', [32, 64]),
    hiddenLayers: trial.suggestInt('hiddenLayers', 1, 2),
    logStdInit: trial.suggestFloat('logStdInit', -1.5, 0),
    maxGradNorm: trial.suggestFloat('maxGradNorm', 0.3, 1),
    drawdownPenalty: trial.suggestFloat('drawdownPenalty', 0, 1),
    turnoverPenalty: trial.suggestFloat('turnoverPenalty', 0, 0.5),
    totalSteps,
  };
  return { params, lookback: trial.suggestInt('lookback', 1, 4) };
}

/** Ranges the agent is fitted on, in order: each fold's training range, then the bundle's; repeats merged. */
function stageRanges(ctx: TrainingContext): FrameSpan[] {
  const ranges: FrameSpan[] = [];
  for (const r of [...ctx.foldTrain, ctx.train]) {
    const last = ranges[ranges.length - 1];
    if (!last || last.from !== r.from || last.to !== r.to) ranges.push(r);
  }
  return ranges;
}

/**
 * A PPO trial as a walk-forward: one agent fitted stage by stage, each stage on the training range of the
 * next fold (the weights continue, the optimiser starts afresh), so the policy validated on fold k has
 * never read a bar after that fold's embargo; a last stage on the bundle's range (all the data with spread
 * folds) gives the kept model. With folds at the end every range is the same: one stage, as before.
 * The environment steps (`totalSteps`) are split evenly over the stages. The normalisation is fitted on
 * the first stage's range and kept (the network's inputs must keep their meaning). The policy acts on the
 * mean action (deterministic).
 */
export function trainPpoKind(ctx: TrainingContext, params: PpoParamsInput, lookback: number): TrialModel {
  const { market } = ctx;
  const spec = { symbols: market.symbols, features: FEATURE_NAMES, lookback };
  const store = createFeatureStore(market, spec.features, market.length);
  updateFeatures(store, market);
  const stages = stageRanges(ctx);
  const norm = fitNormalisation(store, stages[0]!.from, stages[0]!.to);
  const total = resolvePpoParams(params).totalSteps;
  const perStage = Math.max(1, Math.floor(total / stages.length));
  const trained: PpoTrainResult[] = [];
  const stageOf = (range: FrameSpan) => stages.findIndex((s) => s.from === range.from && s.to === range.to);
  const fitThrough = (stage: number): PpoTrainResult => {
    while (trained.length <= stage) {
      const s = trained.length;
      const range = stages[s]!;
      const steps = s === stages.length - 1 ? Math.max(1, total - perStage * s) : perStage;
      trained.push(
        trainPpo({
          market,
          from: range.from,
          to: range.to,
          spec,
          norm,
          params: { ...params, totalSteps: steps },
          simConfig: ctx.simConfig,
          seed: s === 0 ? ctx.seed : (ctx.seed + s * 104_729) % 2 ** 31,
          store,
          shouldStop: ctx.shouldStop,
          initial: trained[s - 1],
        }),
      );
    }
    return trained[stage]!;
  };
  return {
    policyForFold: (fold) =>
      createMlpPolicy('ppo', spec, norm, fitThrough(stageOf(ctx.foldTrain[fold]!)).actor),
    finish: () => {
      const result = fitThrough(stages.length - 1);
      return {
        policy: createMlpPolicy('ppo', spec, norm, result.actor),
        ...ppoBundleParts(spec, norm, result.actor, { ...result.params, totalSteps: total, lookback }),
      };
    },
  };
}

export const ppoKind = defineKind({
  kind: 'ppo',
  manifestSchema: PpoManifestSchema,
  files: (m) => [{ name: WEIGHTS_FILE, sha256: m.network.sha256 }],
  check(m, market, source) {
    const size = assertObservationFits(m, market, source);
    const inputs = m.network.layerSizes[0]!;
    if (inputs !== size)
      throw new ModelError(
        'BUNDLE_SIZE_MISMATCH',
        `${source}: the network takes ${inputs} inputs but the observation has ${size}`,
        { source },
      );
    const outputs = m.network.layerSizes.at(-1)!;
    if (outputs !== m.actionSize + 1)
      throw new ModelError(
        'BUNDLE_SIZE_MISMATCH',
        `${source}: the network has ${outputs} outputs but the softmax head needs ${m.actionSize + 1} (cash + symbols)`,
        { source },
      );
  },
  load({ dir, manifest: m, files }, _market, ctx) {
    const net = decodeNetwork(files.get(WEIGHTS_FILE)!, m.network.layerSizes, join(dir, WEIGHTS_FILE));
    const spec = { symbols: m.symbols, features: m.features, lookback: m.lookback };
    return createMlpPolicy(ctx.name, spec, m.normalisation, net, ctx.featureStores);
  },
  training: [
    {
      name: 'ppo',
      sample(trial, budget) {
        const { params, lookback } = suggestPpo(trial, budget.totalSteps);
        return (ctx) => trainPpoKind(ctx, params, lookback);
      },
    },
  ],
});

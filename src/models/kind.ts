// What a model kind is: its manifest schema, its files, its checks against a market, its loader and its
// training entry. Each kind defines one in its own folder (rules/kind.ts, ppo/kind.ts, ensemble/kind.ts);
// kinds.ts lists them.
import type { z } from 'zod';
import type { SharedFeatureStores } from '../features/index.js';
import type { MarketData } from '../market/market-data.js';
import type { SimConfig } from '../sim/index.js';
import type { MarketShape } from './bundle/compatibility.js';
import type { Policy } from './policy.js';

/** A file of a bundle beside manifest.json; `sha256` is the hash its manifest records for it, if any. */
export interface KindFile {
  readonly name: string;
  readonly sha256: string | null;
}

/** A bundle as its kind's loader gets it: manifest, its files' bytes (checked), the bundles it depends on. */
export interface BundleContent<M> {
  readonly dir: string;
  readonly manifest: M;
  /** The kind's files by name, as read (each matched the sha256 its manifest records). */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** The folders of the bundles it depends on (dependencies(), resolved), in that order. */
  readonly dependencies: readonly string[];
}

export interface LoadContext {
  /** The policy's name ("study/trial"). */
  readonly name: string;
  /** Feature stores shared by the network policies of one market. */
  readonly featureStores?: SharedFeatureStores;
  /** Loads another bundle for the same market (an ensemble's member), with every check. */
  readonly loadBundle: (dir: string) => Policy;
}

/** A value a hyperparameter takes (as Optuna stores categorical choices). */
export type ParamChoice = string | number | boolean | null;

/** The define-by-run suggestion API a kind asks its hyperparameters through (TrialContext implements it). */
export interface ParamSuggester {
  suggestFloat(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestInt(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends ParamChoice>(name: string, choices: readonly T[]): T;
}

/** Frame indices [from, to) of a range. */
export interface FrameSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * What a kind is trained on: the market, the ranges it may fit on (never reading a bar after them),
 * limits. The policy validated on fold k is fitted on `foldTrain[k]` only; the model kept in the bundle
 * on `train`.
 */
export interface TrainingContext {
  readonly market: MarketData;
  /** The range the kept model is fitted on. */
  readonly train: FrameSpan;
  /** Per validation fold, the range the model validated on it may be fitted on (ends before the fold). */
  readonly foldTrain: readonly FrameSpan[];
  readonly simConfig: Readonly<SimConfig>;
  /** Seed for the kind's own randomness (weights, minibatches): derived from the study seed and trial. */
  readonly seed: number;
  /** Polled during long training; true asks the kind to stop and throw. */
  readonly shouldStop?: () => boolean;
}

/** A trained model: its policy, its manifest's kind fields (with `kind` and `params`), and its files. */
export interface TrainedModel {
  readonly policy: Policy;
  readonly manifest: { readonly kind: string; readonly params: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/**
 * A trial's model in the making: the policy validated on each fold (fitted on that fold's training range
 * only), then the model the bundle keeps. Folds are asked for in order; `finish` comes after the last.
 */
export interface TrialModel {
  policyForFold(fold: number): Policy;
  finish(): TrainedModel;
}

/** Study-level limits of training, not hyperparameters to search. */
export interface TrainingBudget {
  /** Environment steps per trial, for kinds that learn by interaction (PPO). */
  readonly totalSteps: number;
}

/** One `--kind` a study can train (a kind may offer several, e.g. one per rule strategy). */
export interface TrainingOption {
  /** The `--kind` name, also the trial's user attribute "kind". */
  readonly name: string;
  /**
   * Samples the hyperparameters through `trial` and returns how to train that model (per fold on
   * ctx.foldTrain, kept on ctx.train): the parameters are known (and can be stored) before training starts.
   */
  sample(trial: ParamSuggester, budget: TrainingBudget): (ctx: TrainingContext) => TrialModel;
}

/** A model kind (see the file comment). `S` is its manifest schema (kindManifestSchema). */
export interface ModelKind<S extends z.ZodObject = z.ZodObject> {
  /** The manifest's `kind`. */
  readonly kind: string;
  readonly manifestSchema: S;
  /** Its files beside manifest.json (read, hash-checked and handed to `load`). */
  files(manifest: z.infer<S>): readonly KindFile[];
  /** Bundle folders it loads besides its own (relative paths resolve under `modelsRoot`). */
  dependencies?(manifest: z.infer<S>, dir: string, modelsRoot: string): readonly string[];
  /** Checks beyond the shared ones (symbols, timeframe, action size); throws ModelError naming what differs. */
  check?(manifest: z.infer<S>, market: MarketShape, source: string): void;
  /** Builds its policy for the market (already checked). */
  load(bundle: BundleContent<z.infer<S>>, market: MarketShape, ctx: LoadContext): Policy;
  /** The `--kind` options it offers to studies (none: it is not trained by `train`). */
  readonly training: readonly TrainingOption[];
}

/** Type-checks a kind's definition against its own manifest schema. */
export function defineKind<S extends z.ZodObject>(kind: ModelKind<S>): ModelKind<S> {
  return kind;
}

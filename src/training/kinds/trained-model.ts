// What training a kind produces: a policy plus everything its bundle manifest must say about it.
import type { Normalisation } from '../../features/index.js';
import type { MarketData } from '../../market/market-data.js';
import type { Mlp, Policy } from '../../models/index.js';
import type { SimConfig } from '../../sim/index.js';
import type { WalkForwardWindows } from '../objective/index.js';

export interface TrainedModel {
  readonly policy: Policy;
  readonly kind: 'rule' | 'ppo';
  /** Rule strategy name, or null. */
  readonly strategy: string | null;
  readonly features: readonly string[];
  readonly lookback: number;
  readonly observationSize: number;
  readonly normalisation: Normalisation | null;
  readonly network: Mlp | null;
  /** The model's parameters (sampled and derived), stored in the manifest. */
  readonly params: Record<string, unknown>;
}

/** What a kind is trained on: the market, the windows (it may train on `windows.train` only), and limits. */
export interface TrainingContext {
  readonly market: MarketData;
  readonly windows: WalkForwardWindows;
  readonly simConfig: Readonly<SimConfig>;
  /** Seed for the kind's own randomness (weights, minibatches): derived from the study seed and trial. */
  readonly seed: number;
  /** Polled during long training; true asks the kind to stop and throw. */
  readonly shouldStop?: () => boolean;
}

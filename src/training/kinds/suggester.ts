// The define-by-run suggestion API a model kind asks its hyperparameters through (TrialContext implements it).
import type { Choice } from '../distributions.js';

export interface ParamSuggester {
  suggestFloat(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestInt(name: string, low: number, high: number, options?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends Choice>(name: string, choices: readonly T[]): T;
}

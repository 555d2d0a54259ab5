// The zod schema of a ModelRef as stored in state files (paper trader, arena), and a checked copy.
import { z } from 'zod';
import type { ModelRef } from './contracts.js';

/** A stored ModelRef: everything needed to load the model again after a restart. */
export const ModelRefSchema = z.strictObject({
  modelId: z.string().min(1),
  study: z.string(),
  trialNumber: z.number().int().min(0).nullable(),
  trainingScore: z.number().finite().nullable(),
  modelPath: z.string(),
});

/** A plain, frozen copy of a ModelRef with exactly the stored fields (no extra properties leak into files). */
export function copyModelRef(ref: ModelRef): ModelRef {
  return Object.freeze({
    modelId: ref.modelId,
    study: ref.study,
    trialNumber: ref.trialNumber,
    trainingScore: ref.trainingScore,
    modelPath: ref.modelPath,
  });
}

// A model the lifecycle can run (ModelRef): its zod schema as state files store it, and a checked copy.
import { z } from 'zod';

/** A stored ModelRef: everything needed to load the model again after a restart. */
export const ModelRefSchema = z.strictObject({
  /** "<study>/<trialNumber>". */
  modelId: z.string().min(1),
  study: z.string(),
  trialNumber: z.number().int().min(0).nullable(),
  trainingScore: z.number().finite().nullable(),
  /**
   * The bundle folder, relative to the workspace root when inside it (a copied or restored workspace then
   * uses its own bundles), absolute otherwise (and in files written before): see fromWorkspacePath.
   */
  modelPath: z.string(),
  /**
   * sha256 of the bundle's content (every file the model depends on, see bundleDigest) when the model
   * entered the deployment or the arena: a bundle changed afterwards is refused (BUNDLE_CHANGED). Absent in
   * files written before it was recorded (such a model is sealed when it enters again).
   */
  bundleSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** A model the lifecycle can run: a trial's bundle. */
export type ModelRef = Readonly<z.infer<typeof ModelRefSchema>>;

/** A plain, frozen copy of a ModelRef with exactly the stored fields (no extra properties leak into files). */
export function copyModelRef(ref: ModelRef): ModelRef {
  return Object.freeze({
    modelId: ref.modelId,
    study: ref.study,
    trialNumber: ref.trialNumber,
    trainingScore: ref.trainingScore,
    modelPath: ref.modelPath,
    ...(ref.bundleSha256 === undefined ? {} : { bundleSha256: ref.bundleSha256 }),
  });
}

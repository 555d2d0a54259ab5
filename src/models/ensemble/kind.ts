// The ensemble kind: a weighted mean vote of other bundles (its members); no files of its own.
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { kindManifestSchema } from '../bundle/manifest.js';
import { defineKind } from '../kind.js';
import { createEnsemblePolicy } from './ensemble-policy.js';

export const EnsembleMemberSchema = z.strictObject({
  /** Bundle folder, relative to the models root (e.g. "momentum-study/12"). */
  path: z.string().min(1),
  /** Relative weight in the mean vote, > 0. */
  weight: z.number().positive(),
});

export const EnsembleManifestSchema = kindManifestSchema('ensemble', {
  members: z.array(EnsembleMemberSchema).min(1),
});
export type EnsembleManifest = z.infer<typeof EnsembleManifestSchema>;

export const ensembleKind = defineKind({
  kind: 'ensemble',
  manifestSchema: EnsembleManifestSchema,
  files: () => [],
  dependencies: (m, _dir, modelsRoot) =>
    m.members.map((member) => (isAbsolute(member.path) ? member.path : join(modelsRoot, member.path))),
  load({ manifest, dependencies }, _market, ctx) {
    const members = manifest.members.map((m, k) => ({
      policy: ctx.loadBundle(dependencies[k]!),
      weight: m.weight,
    }));
    return createEnsemblePolicy(ctx.name, manifest.symbols, members);
  },
  training: [],
});

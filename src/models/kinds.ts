// The registry of model kinds, one line each. Adding a kind is one folder holding its kind.ts (a ModelKind:
// manifest schema, files, checks, loader, training) and one line in MODEL_KINDS (see docs/architecture.md).
import { z } from 'zod';
import { ensembleKind } from './ensemble/kind.js';
import type { ModelKind, TrainingOption } from './kind.js';
import { onnxKind } from './onnx/kind.js';
import { ppoKind } from './ppo/kind.js';
import { ruleKind } from './rules/kind.js';

/** Every kind, in this order: it is the order of `--kind any`'s choices, which stored studies depend on. */
export const MODEL_KINDS = [ruleKind, ppoKind, ensembleKind, onnxKind] as const;

/** The manifest schemas of a tuple of kinds, as a tuple (what z.discriminatedUnion takes). */
type SchemasOf<T extends readonly ModelKind[]> = {
  -readonly [I in keyof T]: T[I] extends ModelKind<infer S> ? S : never;
};

/** A bundle's manifest.json (schemaVersion 2): one schema per kind, chosen by `kind`. */
export const ManifestSchema = z.discriminatedUnion(
  'kind',
  MODEL_KINDS.map((k) => k.manifestSchema) as unknown as SchemasOf<typeof MODEL_KINDS>,
);
export type Manifest = z.infer<typeof ManifestSchema>;
export type ModelKindName = Manifest['kind'];

/** The kind named `name`, or undefined. */
export function kindOf(name: string): ModelKind | undefined {
  return (MODEL_KINDS as readonly ModelKind[]).find((k) => k.kind === name);
}

/** The kind of a parsed manifest (always registered: the schema admits no other). */
export function kindOfManifest(manifest: Manifest): ModelKind<z.ZodObject> {
  return kindOf(manifest.kind)!;
}

/** The fields a kind's manifest has (its schema's keys), for reading older manifests. */
export function manifestFieldsOf(kind: string): readonly string[] | null {
  const k = kindOf(kind);
  return k ? Object.keys(k.manifestSchema.shape) : null;
}

/** Every `--kind` a study can train, in registry order (rule strategies, then PPO). */
export const TRAINING_OPTIONS: readonly TrainingOption[] = (MODEL_KINDS as readonly ModelKind[]).flatMap(
  (k) => k.training,
);

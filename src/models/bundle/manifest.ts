// The bundle manifest's shared part (what a model trades, how it was made) and the shape of a kind's manifest.
import { z } from 'zod';

/** schemaVersion of manifests written now; version 1 (one flat object for every kind) is still read. */
export const BUNDLE_SCHEMA_VERSION = 2 as const;
export const MANIFEST_FILE = 'manifest.json';

const isoRange = z.tuple([z.string(), z.string()]);

/** The fields every manifest has, whatever its kind (they follow the kind's own fields in the file). */
export const commonManifestShape = {
  /** Symbols in the order of the model's weights; a market must match exactly. */
  symbols: z.array(z.string().min(1)).min(1),
  /** Bar length, e.g. "1h". */
  timeframe: z.string(),
  /** Number of target weights the model writes (= symbols.length). */
  actionSize: z.number().int().positive(),
  /** Every hyperparameter of the trial. */
  params: z.record(z.string(), z.unknown()),
  trainingScore: z.number().nullable(),
  study: z.string(),
  trialNumber: z.number().int().min(0).nullable(),
  /** sha256 of the training data (symbols, timestamps, OHLCV of the training range). */
  dataHash: z.string(),
  /** [first, last] bar open time (ISO) of the training range and of each validation window. */
  trainingWindow: isoRange.nullable(),
  validationWindows: z.array(isoRange),
  packageVersion: z.string(),
  createdAt: z.string(),
};

/** A manifest's shared fields, as a kind's manifest carries them. */
export type CommonManifest = z.infer<z.ZodObject<typeof commonManifestShape>>;

/** A kind's own manifest fields with `kind` and `params`: what training produces (run-trial adds the rest). */
export type KindFields<M extends CommonManifest> = Omit<
  M,
  'schemaVersion' | Exclude<keyof CommonManifest, 'params'>
>;

/** The schema of a kind's manifest: schemaVersion, `kind`, the kind's own fields, then the shared ones. */
export function kindManifestSchema<K extends string, F extends z.ZodRawShape>(kind: K, fields: F) {
  return z.strictObject({
    schemaVersion: z.literal(BUNDLE_SCHEMA_VERSION),
    kind: z.literal(kind),
    ...fields,
    ...commonManifestShape,
  });
}

/** The shared fields of a manifest (to build another kind's manifest from a model's, e.g. an ensemble's). */
export function commonFieldsOf(manifest: CommonManifest): CommonManifest {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(commonManifestShape)) out[key] = (manifest as Record<string, unknown>)[key];
  return out as CommonManifest;
}

/**
 * The fields a schemaVersion 1 manifest held for every kind, with the value they had where the kind had
 * no use for them: reading a version 1 manifest drops those (see upgradeManifest).
 */
const V1_UNUSED: Readonly<Record<string, unknown>> = {
  strategy: null,
  features: [],
  lookback: 0,
  observationSize: 0,
  normalisation: null,
  network: null,
  members: null,
};

/**
 * A schemaVersion 1 manifest (one flat object, per-kind fields null or empty where unused) as version 2:
 * the fields its kind does not own (`owned`) are dropped when they hold their unused value; any other
 * value is left for the schema to refuse, naming the field. Other input is returned as it is.
 */
export function upgradeManifest(raw: unknown, owned: (kind: string) => readonly string[] | null): unknown {
  if (typeof raw !== 'object' || raw === null || (raw as { schemaVersion?: unknown }).schemaVersion !== 1)
    return raw;
  const v1 = raw as Record<string, unknown>;
  const own = typeof v1['kind'] === 'string' ? owned(v1['kind']) : null;
  if (own === null) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v1)) {
    const unused = Object.hasOwn(V1_UNUSED, key) && !own.includes(key);
    if (unused && JSON.stringify(value) === JSON.stringify(V1_UNUSED[key])) continue;
    out[key] = value;
  }
  out['schemaVersion'] = BUNDLE_SCHEMA_VERSION;
  return out;
}

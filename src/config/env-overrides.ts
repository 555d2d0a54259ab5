// Environment overrides of hybrid.config.json: HYBRID_TRADER__SECTION__KEY=value (double underscores
// separate the path; each part is matched to the config's camelCase keys ignoring case and underscores, so
// HYBRID_TRADER__ARENA__MIN_HOURS sets arena.minHours). Containers and CI set these without editing files.
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';

export const ENV_PREFIX = 'HYBRID_TRADER__';

export interface EnvOverride {
  /** The variable's name, for error messages. */
  readonly variable: string;
  /** The config path it sets, in the config's own key names. */
  readonly path: readonly string[];
  readonly value: unknown;
}

const normalise = (key: string) => key.toLowerCase().replaceAll('_', '');

/** The keys an object schema accepts (through defaults, optionals and pipes), or [] for other schemas. */
function schemaKeys(schema: z.ZodType | undefined): {
  keys: string[];
  child: (key: string) => z.ZodType | undefined;
} {
  let node = schema as { _zod?: { def: Record<string, unknown> } } | undefined;
  for (let depth = 0; node?._zod && depth < 10; depth++) {
    const def = node._zod.def;
    if (def.type === 'object') {
      const shape = def.shape as Record<string, z.ZodType>;
      return { keys: Object.keys(shape), child: (key) => shape[key] };
    }
    node = (def.innerType ?? def.in) as typeof node;
  }
  return { keys: [], child: () => undefined };
}

/** A value as JSON when it parses (numbers, booleans, arrays, objects), else the raw string. */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Applies every HYBRID_TRADER__* variable of `env` to a copy of `config` (a full config with defaults, so
 * every valid key exists to match against). An unknown path is a ConfigError naming the variable; the
 * caller validates the result with the config's schema.
 */
export function applyEnvOverrides(
  config: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  schema?: z.ZodType,
): { config: Record<string, unknown>; applied: EnvOverride[] } {
  const result = structuredClone(config);
  const applied: EnvOverride[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && env[name] !== undefined)
    .sort();
  for (const variable of names) {
    const parts = variable.slice(ENV_PREFIX.length).split('__');
    let node: Record<string, unknown> = result;
    let nodeSchema = schema;
    const path: string[] = [];
    parts.forEach((part, k) => {
      // Keys of the value, and keys the schema knows that the value leaves out (optional ones).
      const known = schemaKeys(nodeSchema);
      const candidates = [...new Set([...Object.keys(node), ...known.keys])];
      const key = candidates.find((candidate) => normalise(candidate) === normalise(part));
      if (key === undefined || part === '')
        throw new ConfigError(
          'CONFIG_ENV_UNKNOWN',
          `${variable}: "${[...path, part].join('.')}" is not a configuration key (known here: ${candidates.join(', ')})`,
          { variable },
        );
      path.push(key);
      nodeSchema = known.child(key);
      if (k === parts.length - 1) node[key] = parseValue(env[variable]!);
      else {
        node[key] ??= {};
        const child = node[key];
        if (child === null || typeof child !== 'object' || Array.isArray(child))
          throw new ConfigError(
            'CONFIG_ENV_UNKNOWN',
            `${variable}: "${path.join('.')}" is a value, not a section`,
            { variable },
          );
        node = child as Record<string, unknown>;
      }
    });
    applied.push({ variable, path, value: env[variable] });
  }
  return { config: result, applied };
}

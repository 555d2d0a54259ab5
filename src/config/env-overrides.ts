// Environment overrides of hybrid.config.json: HYBRID_TRADER__SECTION__KEY=value (double underscores
// separate the path; each part is matched to the config's camelCase keys ignoring case and underscores, so
// HYBRID_TRADER__ARENA__MIN_HOURS sets arena.minHours). Containers and CI set these without editing files.
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
): { config: Record<string, unknown>; applied: EnvOverride[] } {
  const result = structuredClone(config);
  const applied: EnvOverride[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && env[name] !== undefined)
    .sort();
  for (const variable of names) {
    const parts = variable.slice(ENV_PREFIX.length).split('__');
    let node: Record<string, unknown> = result;
    const path: string[] = [];
    parts.forEach((part, k) => {
      const key = Object.keys(node).find((candidate) => normalise(candidate) === normalise(part));
      if (key === undefined || part === '')
        throw new ConfigError(
          'CONFIG_ENV_UNKNOWN',
          `${variable}: "${[...path, part].join('.')}" is not a configuration key (known here: ${Object.keys(node).join(', ')})`,
          { variable },
        );
      path.push(key);
      if (k === parts.length - 1) node[key] = parseValue(env[variable]!);
      else {
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

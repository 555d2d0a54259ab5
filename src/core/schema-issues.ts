// How a failed zod parse is told to people: one formatter for every issue, one helper for configuration input.
import type { z } from 'zod';
import { ConfigError } from './errors.js';

export interface FormatIssuesOptions {
  /** Path the input sits at (e.g. ["exchange"] for a config section), prepended to each field. */
  readonly prefix?: readonly (string | number)[];
  /** At most this many issues are listed (default 5); the rest are counted. */
  readonly max?: number;
}

type Issue = z.core.$ZodIssue;

/** The value at `path` in `input`, when it can be shown (numbers, booleans and null: never strings, which may be secrets). */
function shownValue(input: unknown, path: readonly PropertyKey[]): string | null {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  if (typeof node === 'number' || typeof node === 'boolean' || node === null) return String(node);
  return null;
}

function fieldName(prefix: readonly (string | number)[], path: readonly PropertyKey[]): string {
  return [...prefix, ...path].map(String).join('.') || '(root)';
}

/** One issue as `field "a.b.0": message (was 1000)`; unknown keys each as `field "a.key": unknown key`. */
function formatIssue(issue: Issue, input: unknown, prefix: readonly (string | number)[]): string[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => `field "${fieldName(prefix, [...issue.path, key])}": unknown key`);
  // a missing field reads "expected X, received undefined"; a present one says what it was when it can
  const was = issue.code === 'invalid_type' ? null : shownValue(input, issue.path);
  return [`field "${fieldName(prefix, issue.path)}": ${issue.message}${was === null ? '' : ` (was ${was})`}`];
}

/**
 * Every issue of a failed parse, each naming its field, what was expected and (for numbers and booleans)
 * what was found, joined with "; ". `input` is what was parsed (to show the values found).
 */
export function formatIssues(error: z.ZodError, input?: unknown, options: FormatIssuesOptions = {}): string {
  const prefix = options.prefix ?? [];
  const max = options.max ?? 5;
  const lines = error.issues.flatMap((issue) => formatIssue(issue, input, prefix));
  const shown = lines.slice(0, max);
  if (lines.length > max) shown.push(`and ${lines.length - max} more`);
  return shown.join('; ');
}

/**
 * Parses configuration input (a config file's section, flags, a request): the parsed value, or a
 * ConfigError (exit code 2) with `code` and the message `<source>: <every issue>`.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  code: string,
  source: string,
  options: FormatIssuesOptions & { context?: Record<string, unknown> } = {},
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(code, `${source}: ${formatIssues(parsed.error, input, options)}`, {
    ...options.context,
    fields: parsed.error.issues.map((i) => fieldName(options.prefix ?? [], i.path)),
  });
}

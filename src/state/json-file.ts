// Validated JSON state files: atomic writes, reads that name the file and field of any problem.
import type { z } from 'zod';
import { StateError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';
import { readFileIfExists } from './absent-file.js';
import { writeFileAtomicSafeSync } from './atomic-file.js';

/**
 * JSON.parse of the text of the file at `path`; text that is not JSON throws `corrupt(message)`, the
 * caller's own error, with a message naming the file ("<path>: not valid JSON (<why>)").
 */
export function parseJsonOr(path: string, text: string, corrupt: (message: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Parses and validates the text of a JSON state file (`path` is for messages). Throws StateError
 * (STATE_FILE_CORRUPT / STATE_FILE_INVALID) naming the file and the field.
 */
export function parseJsonText<S extends z.ZodType>(path: string, text: string, schema: S): z.infer<S> {
  const raw = parseJsonOr(path, text, (message) => new StateError('STATE_FILE_CORRUPT', message, { path }));
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new StateError('STATE_FILE_INVALID', `${path}: ${formatIssues(parsed.error, raw)}`, {
      path,
      issues: parsed.error.issues,
    });
  return parsed.data;
}

/**
 * Reads and validates a JSON state file. Returns null when the file does not exist. Throws StateError
 * (code STATE_FILE_CORRUPT / STATE_FILE_INVALID / FILE_UNREADABLE) naming the file and the field for a
 * file that is not JSON (e.g. truncated), fails the schema or cannot be read: a bad file is never treated
 * as missing or reset.
 */
export function readJsonFile<S extends z.ZodType>(path: string, schema: S): z.infer<S> | null {
  const bytes = readFileIfExists(path);
  return bytes === null ? null : parseJsonText(path, bytes.toString('utf8'), schema);
}

/**
 * The text a state file holds for `value`: validated with `schema` (StateError STATE_WRITE_INVALID naming
 * the file and field, so a bug never reaches the disk), then pretty-printed JSON with a final newline.
 */
export function serializeJson<S extends z.ZodType>(path: string, schema: S, value: z.input<S>): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StateError(
      'STATE_WRITE_INVALID',
      `refusing to write ${path}: ${formatIssues(parsed.error, value)}`,
      {
        path,
      },
    );
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}

/** Validates `value` with `schema` and writes it atomically (temporary file, fsync, rename). */
export function writeJsonFile<S extends z.ZodType>(path: string, schema: S, value: z.input<S>): void {
  writeFileAtomicSafeSync(path, serializeJson(path, schema, value));
}

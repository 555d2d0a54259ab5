// Query parameters offset/limit: parsed (a value that is not an integer is refused), clamped, applied.
import { ConfigError } from '../core/errors.js';

export interface Page {
  readonly offset: number;
  readonly limit: number;
}

export interface PageBounds {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

function intParam(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d{1,15}$/.test(raw))
    throw new ConfigError('API_QUERY_INVALID', `query parameter "${name}" must be an integer, was "${raw}"`, {
      field: name,
    });
  return Number(raw);
}

/**
 * offset (default 0) and limit (default `defaultLimit`) from query strings; numbers out of range are
 * clamped (offset >= 0, 0 <= limit <= maxLimit). Throws ConfigError (a 400) naming a non-integer one.
 */
export function parsePage(query: { offset?: string; limit?: string }, bounds: PageBounds): Page {
  const offset = Math.max(0, intParam('offset', query.offset, 0));
  const limit = Math.min(bounds.maxLimit, Math.max(0, intParam('limit', query.limit, bounds.defaultLimit)));
  return { offset, limit };
}

/** The items of one page; the offset is clamped to the total, so a page past the end is empty. */
export function slicePage<T>(
  items: readonly T[],
  page: Page,
): { total: number; offset: number; limit: number; entries: T[] } {
  const offset = Math.min(page.offset, items.length);
  return {
    total: items.length,
    offset,
    limit: page.limit,
    entries: items.slice(offset, offset + page.limit),
  };
}

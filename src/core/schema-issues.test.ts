import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, exitCodeFor } from './errors.js';
import { formatIssues, parseConfig } from './schema-issues.js';

const Schema = z.strictObject({
  workers: z.number().int().min(1).max(64),
  study: z.string().regex(/^[a-z]+$/, 'use lowercase letters'),
  url: z.string().url(),
  nested: z.strictObject({ rate: z.number().min(0) }),
});

describe('formatIssues', () => {
  it('names every field, what was expected and the number found; never shows a string (it may be a secret)', () => {
    const input = {
      workers: 1000,
      study: "it's",
      url: 'SECRET-TOKEN',
      nested: { rate: -1, extra: 1 },
    };
    const parsed = Schema.safeParse(input);
    expect(parsed.success).toBe(false);
    const text = formatIssues(parsed.error!, input);
    expect(text).toContain('field "workers": Too big: expected number to be <=64 (was 1000)');
    expect(text).toContain('field "study": use lowercase letters');
    expect(text).toContain('field "nested.rate": Too small: expected number to be >=0 (was -1)');
    expect(text).toContain('field "nested.extra": unknown key');
    expect(text).toContain('field "url"');
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain("it's");
  });

  it('prefixes fields with the section and counts what it leaves out', () => {
    const parsed = z.array(z.number()).safeParse(['a', 'b', 'c']);
    expect(formatIssues(parsed.error!, undefined, { prefix: ['exchange', 'symbols'], max: 2 })).toBe(
      'field "exchange.symbols.0": Invalid input: expected number, received string; field "exchange.symbols.1": Invalid input: expected number, received string; and 1 more',
    );
  });
});

describe('parseConfig', () => {
  it('returns the parsed value, or throws a ConfigError (exit code 2) with the code, source and every field', () => {
    expect(parseConfig(z.number(), 3, 'X_INVALID', 'x')).toBe(3);
    let error: unknown;
    try {
      parseConfig(Schema, { workers: 0 }, 'X_INVALID', 'invalid x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(exitCodeFor(error)).toBe(2);
    expect(error).toMatchObject({
      code: 'X_INVALID',
      message: expect.stringMatching(/^invalid x: field "workers": .*\(was 0\); field "study"/),
      context: { fields: ['workers', 'study', 'url', 'nested'] },
    });
  });
});

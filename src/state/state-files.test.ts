import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appendJournal, journalMark, readJournal, rewriteJournal } from './journal.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

const Schema = z.strictObject({
  schemaVersion: z.literal(1),
  cash: z.number(),
  lastBarTs: z.number().nullable(),
});
const dir = () => mkdtempSync(join(tmpdir(), 'ht-state-'));

describe('JSON state files', () => {
  it('round-trips a valid file and reads a missing one as null', () => {
    const path = join(dir(), 'sub', 'state.json');
    expect(readJsonFile(path, Schema)).toBeNull();
    writeJsonFile(path, Schema, { schemaVersion: 1, cash: 0.1 + 0.2, lastBarTs: null });
    expect(readJsonFile(path, Schema)).toEqual({ schemaVersion: 1, cash: 0.1 + 0.2, lastBarTs: null });
  });

  it('refuses a truncated file and a hand-edited field, naming the file and field, and leaves it alone', () => {
    const path = join(dir(), 'state.json');
    writeFileSync(path, '{"schemaVersion": 1, "cash": 12');
    expect(() => readJsonFile(path, Schema)).toThrow(new RegExp(`${path}: not valid JSON`));
    writeFileSync(path, '{"schemaVersion": 1, "cash": "lots", "lastBarTs": null}');
    expect(() => readJsonFile(path, Schema)).toThrow(new RegExp(`${path}: field "cash"`));
    expect(readFileSync(path, 'utf8')).toContain('"lots"');
  });

  it('a file that exists but cannot be read is FILE_UNREADABLE naming it, never missing or corrupt', () => {
    const path = join(dir(), 'state.json');
    mkdirSync(path); // EISDIR; a permission error (EACCES) takes the same path, but root reads anything
    expect(() => readJsonFile(path, Schema)).toThrow(
      expect.objectContaining({
        code: 'FILE_UNREADABLE',
        message: expect.stringMatching(`^${path}: cannot be read \\(EISDIR`),
      }),
    );
  });

  it('a journal that exists but cannot be read is FILE_UNREADABLE too, not an empty journal', () => {
    const path = join(dir(), 'equity.jsonl');
    expect(journalMark(path).bytes).toBe(0); // missing: empty
    mkdirSync(path);
    expect(() => journalMark(path)).toThrow(expect.objectContaining({ code: 'FILE_UNREADABLE' }));
  });

  it('refuses to write an invalid value', () => {
    const path = join(dir(), 'state.json');
    expect(() =>
      writeJsonFile(path, Schema, { schemaVersion: 1, cash: Number.NaN, lastBarTs: null }),
    ).toThrow(/refusing to write .*field "cash"/);
  });
});

describe('journals', () => {
  const Entry = z.strictObject({ ts: z.number(), side: z.enum(['buy', 'sell']) });

  it('appends, reads, reports a torn last line, and rewrites without entries after a bar', () => {
    const path = join(dir(), 'trades.jsonl');
    appendJournal(path, [
      { ts: 1, side: 'buy' },
      { ts: 2, side: 'sell' },
    ]);
    appendJournal(path, [{ ts: 3, side: 'buy' }]);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"ts": 4, "si`);
    const read = readJournal(path, Entry);
    expect(read.entries.map((e) => e.ts)).toEqual([1, 2, 3]);
    expect(read.tornTail).toBe('{"ts": 4, "si');
    expect(rewriteJournal(path, Entry, (e) => e.ts <= 2)).toBe(2);
    expect(readJournal(path, Entry)).toEqual({
      entries: [
        { ts: 1, side: 'buy' },
        { ts: 2, side: 'sell' },
      ],
      tornTail: null,
    });
  });

  it('refuses a bad line naming the file, line and field', () => {
    const path = join(dir(), 'history.jsonl');
    writeFileSync(path, '{"ts": 1, "side": "buy"}\n{"ts": 2, "side": "hold"}\n');
    expect(() => readJournal(path, Entry)).toThrow(new RegExp(`${path} line 2: field "side"`));
  });
});

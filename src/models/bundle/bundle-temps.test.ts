import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepBundleTemps } from './bundle-files.js';

describe('sweepBundleTemps', () => {
  it('removes the temporary folders killed bundle writes left, older than the given age, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ht-bundle-temps-'));
    const now = Date.now();
    const folder = (name: string, ageMs: number) => {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'manifest.json'), '{"half');
      const t = (now - ageMs) / 1000;
      utimesSync(join(dir, name), t, t);
    };
    folder('.tmp-old', 3_600_000);
    folder('.tmp-fresh', 1_000); // another process may be writing it right now
    folder('7', 3_600_000); // a bundle
    expect(sweepBundleTemps(dir, 600_000, now)).toEqual([join(dir, '.tmp-old')]);
    expect(readdirSync(dir).sort()).toEqual(['.tmp-fresh', '7']);
    expect(sweepBundleTemps(dir, 0, now)).toEqual([join(dir, '.tmp-fresh')]);
    expect(readdirSync(dir)).toEqual(['7']);
    expect(sweepBundleTemps(join(dir, 'missing'), 0)).toEqual([]);
    expect(existsSync(join(dir, '7', 'manifest.json'))).toBe(true);
  });
});

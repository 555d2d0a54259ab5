import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

// A smaller demo than npm start's (fewer trials and bars: the same code, two training workers included).
const ARGS = ['demo', '--trials', '10', '--train-bars', '2000', '--replay-bars', '720'];

function demo(): { table: string; rest: string } {
  const root = join(mkdtempSync(join(tmpdir(), 'ht-demo-')), 'demo');
  const r = runCli([...ARGS, '--root', root]);
  expect(r.status, r.stderr).toBe(0);
  const out = r.stdout.replaceAll(root, '<root>').replace(/^done in \d+ s$/m, 'done');
  const lines = out.split('\n');
  const header = lines.findIndex((l) => l.startsWith('mode '));
  const end = lines.indexOf('', header);
  return { table: lines.slice(header, end).join('\n'), rest: out };
}

describe('demo (end to end)', () => {
  it('prints the identical comparison table on every run, benchmarks as rows, and a conclusion', () => {
    const first = demo();
    const second = demo();
    expect(second.table).toBe(first.table);
    expect(second.rest).toBe(first.rest);
    const rows = first.table.split('\n').map((l) => l.split(/\s{2,}/)[0]);
    expect(rows).toEqual([
      'mode',
      'hybrid',
      'training-only',
      'arena-only',
      'ensemble',
      'benchmark: equal-weight',
      'benchmark: buy-and-hold',
    ]);
    expect(first.rest).toMatch(/^Over 2024-\S+ \.\. 2024-\S+ \(720 h\), \S+ made the most: [-+]\d+\.\d\d %/m);
    expect(first.rest).toMatch(
      /Over the same bars equal weight made [-+]\d+\.\d\d %, buy and hold made [-+]\d+\.\d\d %, cash made 0\.00 %: /,
    );
    expect(first.rest).toContain(
      "One synthetic sample proves little: `hybrid-trader evaluate --data 'builtin?seed=7&bars=2720' --windows 2 --window-hours 336 --train-hours 2000`",
    );
  }, 300_000);
});

import { describe, expect, it } from 'vitest';
import { scanJsonRowLines } from './json-row-lines.js';

describe('scanJsonRowLines', () => {
  it('gives the start line of each row of a top-level array', () => {
    const text = '[\n  [1, 2],\n\n  [3,\n   4], [5, 6]\n]';
    expect(scanJsonRowLines(text)).toEqual([{ key: null, line: 1, rowLines: [2, 4, 5] }]);
  });

  it('gives one group per key of a top-level object, ignoring brackets inside strings', () => {
    const text = '{\n "A]\\"[": [\n  [1],\n  [2]\n ],\n "B": 5,\n "C": []\n}';
    expect(scanJsonRowLines(text)).toEqual([
      { key: 'A]"[', line: 2, rowLines: [3, 4] },
      { key: 'B', line: 6, rowLines: [] },
      { key: 'C', line: 7, rowLines: [] },
    ]);
  });

  it('lists a repeated key twice and counts elements that are not arrays', () => {
    const text = '{"A": [[1]],\n"A": [{"x": [1]}, "s", 3]}';
    expect(scanJsonRowLines(text)).toEqual([
      { key: 'A', line: 1, rowLines: [1] },
      { key: 'A', line: 2, rowLines: [2, 2, 2] },
    ]);
  });
});

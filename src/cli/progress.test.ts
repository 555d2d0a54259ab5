import { describe, expect, it } from 'vitest';
import { createProgressLine } from './progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('createProgressLine', () => {
  it('not a terminal: plain lines, one per further tenth, no carriage return', () => {
    const { stream, writes } = fakeStream(false);
    const p = createProgressLine(stream);
    for (let k = 1; k <= 2400; k += 1) if (k % 200 === 0) p.update(k, 2400, `replay: ${k}/2400 bars`);
    p.end();
    expect(writes.join('')).not.toContain('\r');
    expect(writes.every((w) => w.endsWith('\n'))).toBe(true);
    expect(writes.length).toBeLessThanOrEqual(11);
    expect(writes[writes.length - 1]).toBe('replay: 2400/2400 bars\n');
  });

  it('a terminal: the line is redrawn in place and ended once', () => {
    const { stream, writes } = fakeStream(true);
    const p = createProgressLine(stream);
    p.update(1, 2, 'a');
    p.update(2, 2, 'b');
    p.end();
    expect(writes).toEqual(['\r\x1b[2Ka', '\r\x1b[2Kb', '\n']);
  });
});

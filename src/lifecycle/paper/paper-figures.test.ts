import { describe, expect, it } from 'vitest';
import { paperFigures } from './paper-figures.js';

const H = 3_600_000;
const line = (k: number, equity: number, modelId: string | null) => ({ ts: k * H, equity, modelId });

describe('paperFigures', () => {
  it('gives the return since the first bar and since the current model, each with its window', () => {
    // a trades frames 0..2, the deployer swaps to b at the close of frame 2: b trades from frame 3
    const lines = [
      line(0, 10_000, 'a'),
      line(1, 10_100, 'a'),
      line(2, 10_200, 'a'),
      line(3, 10_404, 'b'),
      line(4, 10_710, 'b'),
    ];
    expect(paperFigures(lines, 10_000, 'b', H)).toEqual({
      sinceStart: { fromTs: 0, toTs: 5 * H, hours: 5, returnPct: (10_710 / 10_000 - 1) * 100 },
      sinceModel: {
        modelId: 'b',
        fromTs: 3 * H,
        toTs: 5 * H,
        hours: 2,
        returnPct: (10_710 / 10_200 - 1) * 100,
      },
    });
  });

  it('counts from the initial equity when the current model traded every frame, and a model not trading yet has no figure', () => {
    const lines = [line(0, 9_900, 'a'), line(1, 9_950, 'a')];
    expect(paperFigures(lines, 10_000, 'a', H)?.sinceModel?.returnPct).toBeCloseTo(-0.5, 12);
    expect(paperFigures(lines, 10_000, 'b', H)?.sinceModel).toBeNull();
    expect(paperFigures([], 10_000, 'a', H)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { alignTrack } from './equity-series.js';

const H = 3_600_000;
const frames = [10 * H, 11 * H, 12 * H, 13 * H]; // opens of the last four frames

describe('alignTrack', () => {
  it('places point k >= 1 at the close of its frame and point 0 at the close of the frame before', () => {
    // two frames stepped: the equity before frame 12, after 12, after 13
    expect(alignTrack([100, 101, 102], frames, H)).toEqual({
      ts: [12 * H, 13 * H, 14 * H],
      equity: [100, 101, 102],
    });
  });

  it('puts point 0 at the first frame open when the track started with the arena', () => {
    expect(alignTrack([100, 1, 2, 3, 4], frames, H)).toEqual({
      ts: [10 * H, 11 * H, 12 * H, 13 * H, 14 * H],
      equity: [100, 1, 2, 3, 4],
    });
  });

  it('puts a member that has not stepped yet at the last close, and drops points older than frameTs', () => {
    expect(alignTrack([100], frames, H)).toEqual({ ts: [14 * H], equity: [100] });
    expect(alignTrack([9, 8, 100, 1, 2, 3, 4], frames, H).ts).toEqual([
      10 * H,
      11 * H,
      12 * H,
      13 * H,
      14 * H,
    ]);
    expect(alignTrack([100], [], H)).toEqual({ ts: [], equity: [] });
  });

  it('uses the timeframe: 4 h bars close 4 h after they open', () => {
    expect(alignTrack([1, 2], [0, 4 * H], 4 * H).ts).toEqual([4 * H, 8 * H]);
  });
});

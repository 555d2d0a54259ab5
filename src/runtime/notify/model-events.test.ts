import { describe, expect, it } from 'vitest';
import { modelUnavailableNotification } from './model-events.js';

const H = 3_600_000;
const T = Date.UTC(2024, 2, 1, 5);

describe('modelUnavailableNotification', () => {
  it('goes out on the first bar held, then on the first bar of each further day, critical', () => {
    const at = (barTs: number) =>
      modelUnavailableNotification({ modelId: 's/1', reason: 'gone', sinceBarTs: T, barTs, timeframeMs: H });
    expect(at(T)).toMatchObject({ kind: 'model-unavailable', severity: 'critical', sinceBarTs: T, barTs: T });
    expect(at(T + H)).toBeNull();
    expect(at(T + 23 * H)).toBeNull();
    expect(at(T + 24 * H)).toMatchObject({
      barTs: T + 24 * H,
      dedupeKey: `model-unavailable:s/1:${T + 24 * H}`,
    });
    expect(at(T + 25 * H)).toBeNull();
  });
});

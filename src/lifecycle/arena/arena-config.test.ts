import { describe, expect, it } from 'vitest';
import { resolveArenaConfig } from './arena-config.js';

describe('arena configuration', () => {
  it('refuses implausible sizes and amounts, naming each field', () => {
    expect(() => resolveArenaConfig({ maxChallengers: 1e6 })).toThrow(
      /invalid arena configuration: field "maxChallengers": .*<=100 \(was 1000000\)/,
    );
    expect(() => resolveArenaConfig({ maxQueue: 1e7 })).toThrow(/field "maxQueue": .*<=10000/);
    expect(() => resolveArenaConfig({ maxEvalHours: 1e9 })).toThrow(/field "maxEvalHours": .*<=8760/);
    expect(() => resolveArenaConfig({ startingEquity: 1e308 })).toThrow(
      /field "startingEquity": .*<=1000000000000/,
    );
    expect(resolveArenaConfig({ maxChallengers: 100, maxQueue: 10_000 })).toMatchObject({
      maxChallengers: 100,
    });
  });
});

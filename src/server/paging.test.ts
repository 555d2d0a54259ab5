import { describe, expect, it } from 'vitest';
import { parsePage, slicePage } from './paging.js';

const bounds = { defaultLimit: 100, maxLimit: 1000 };

describe('paging', () => {
  it('defaults, clamps out-of-range numbers and refuses non-integers naming the parameter', () => {
    expect(parsePage({}, bounds)).toEqual({ offset: 0, limit: 100 });
    expect(parsePage({ offset: '', limit: '' }, bounds)).toEqual({ offset: 0, limit: 100 });
    expect(parsePage({ offset: '-3', limit: '5000' }, bounds)).toEqual({ offset: 0, limit: 1000 });
    expect(parsePage({ limit: '-1' }, bounds)).toEqual({ offset: 0, limit: 0 });
    expect(() => parsePage({ limit: '1.5' }, bounds)).toThrow(/"limit" must be an integer, was "1.5"/);
    expect(() => parsePage({ offset: '1e3' }, bounds)).toThrow(/"offset" must be an integer/);
    expect(() => parsePage({ offset: '9'.repeat(40) }, bounds)).toThrow(/"offset"/);
  });

  it('slices a page; an offset past the end gives an empty page at the end', () => {
    const items = [0, 1, 2, 3, 4];
    expect(slicePage(items, { offset: 1, limit: 2 })).toEqual({
      total: 5,
      offset: 1,
      limit: 2,
      entries: [1, 2],
    });
    expect(slicePage(items, { offset: 4, limit: 10 })).toEqual({
      total: 5,
      offset: 4,
      limit: 10,
      entries: [4],
    });
    expect(slicePage(items, { offset: 99, limit: 10 })).toEqual({
      total: 5,
      offset: 5,
      limit: 10,
      entries: [],
    });
  });
});

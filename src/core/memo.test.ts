import { describe, expect, it } from 'vitest';
import { arenaPaths } from '../lifecycle/arena/arena-paths.js';
import { controlPaths } from '../lifecycle/control/control-requests.js';
import { paperPaths } from '../lifecycle/paper/paper-paths.js';
import { memoLast } from './memo.js';

describe('memoLast', () => {
  it('builds once for a key asked again, and again for another key', () => {
    const built: string[] = [];
    const upper = memoLast((key: string) => {
      built.push(key);
      return { value: key.toUpperCase() };
    });
    const first = upper('a');
    expect(upper('a')).toBe(first);
    expect(upper('b')).toEqual({ value: 'B' });
    expect(upper('a')).toEqual({ value: 'A' }); // the last key was b: built again
    expect(built).toEqual(['a', 'b', 'a']);
  });

  it('remembers an undefined result like any other', () => {
    let calls = 0;
    const nothing = memoLast((_key: number) => {
      calls++;
      return undefined;
    });
    nothing(1);
    nothing(1);
    expect(calls).toBe(1);
  });
});

describe('workspace paths memoised by root', () => {
  it('give each root its own paths, whatever root was asked before', () => {
    for (const paths of [arenaPaths, paperPaths, controlPaths]) {
      const a = paths('/ws/a');
      const b = paths('/ws/b');
      for (const p of Object.values(a)) expect(p.startsWith('/ws/a/')).toBe(true);
      for (const p of Object.values(b)) expect(p.startsWith('/ws/b/')).toBe(true);
      expect(paths('/ws/a')).toEqual(a);
      expect(Object.isFrozen(paths('/ws/a'))).toBe(true); // shared: no caller may change it
    }
  });
});

// Memoisation of a pure function on its last argument, for values a hot path asks for again and again.

/**
 * `build` remembered for the last key it was called with: a frame loop works on one workspace, so the
 * paths of its files are built once instead of on every frame (and another key simply builds again, so
 * nothing grows). Only for pure functions whose result the callers do not change.
 */
export function memoLast<K, V>(build: (key: K) => V): (key: K) => V {
  let lastKey: K | undefined;
  let lastValue: V | undefined;
  let filled = false;
  return (key: K): V => {
    if (!filled || key !== lastKey) {
      lastValue = build(key);
      lastKey = key;
      filled = true;
    }
    return lastValue as V;
  };
}

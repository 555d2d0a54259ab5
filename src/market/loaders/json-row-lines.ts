// Finds the line on which each row of a ccxt-style JSON document starts, since JSON.parse keeps no positions.

/** One group of rows: the top-level array, or the array under one key of the top-level object. */
export interface JsonRowGroup {
  /** The key in the top-level object, or null for a top-level array. */
  readonly key: string | null;
  /** 1-based line of the key (object) or of the opening bracket (array). */
  readonly line: number;
  /** 1-based line on which each element of the group starts, in order. */
  readonly rowLines: number[];
}

/**
 * Scans `text` (valid JSON, already checked by JSON.parse) and returns the start line of each element of
 * the rows array(s): `[[...], ...]` gives one group, `{"A": [[...], ...], "B": [...]}` one group per key
 * in document order (duplicate keys included, so the caller can refuse them).
 */
export function scanJsonRowLines(text: string): JsonRowGroup[] {
  const groups: JsonRowGroup[] = [];
  const stack: string[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let expectKey = false;
  let pendingElement = false;
  const rowsDepth = () => (stack[0] === '{' ? 2 : 1);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        inString = false;
        if (expectKey && stack.length === 1) {
          groups.push({ key: JSON.parse(text.slice(stringStart, i + 1)) as string, line, rowLines: [] });
          expectKey = false;
        }
      }
      continue;
    }
    if (c === '\n') line++;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    const group = groups[groups.length - 1];
    if (pendingElement && c !== ']') group?.rowLines.push(line);
    pendingElement = false;
    if (c === '"') {
      inString = true;
      stringStart = i;
    } else if (c === '[' || c === '{') {
      stack.push(c);
      if (stack.length === 1 && c === '{') expectKey = true;
      if (c === '[' && stack.length === rowsDepth()) {
        if (stack.length === 1) groups.push({ key: null, line, rowLines: [] });
        pendingElement = true;
      }
    } else if (c === ']' || c === '}') {
      stack.pop();
    } else if (c === ',') {
      if (stack.length === rowsDepth() && stack[stack.length - 1] === '[') pendingElement = true;
      if (stack.length === 1 && stack[0] === '{') expectKey = true;
    }
  }
  return groups;
}

// JSON text exactly as Python's json.dumps writes it (", " / ": " separators, ensure_ascii, float repr), and a reader that accepts Python's NaN/Infinity.

/** A value Python's json module can hold. Numbers may be NaN or infinite (Python writes NaN, Infinity). */
export type PythonJsonValue =
  | null
  | boolean
  | number
  | string
  | readonly PythonJsonValue[]
  | { readonly [key: string]: PythonJsonValue };

/** How a JS number is written: `int` when it is a safe integer (Python int), else Python float repr. */
export type NumberStyle = 'auto' | 'float';

/**
 * Python's `repr(float)`: the shortest round-trip digits (as JS), in fixed notation when the decimal
 * exponent is in [-5, 16), otherwise `d.ddde+XX` with at least two exponent digits. Always shows a
 * fraction or exponent (`1.0`, `1e+16`); `-0.0` keeps its sign; non-finite values as json.dumps writes them.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fractionPart = digits.slice(exponent + 1);
  return `${sign}${integerPart}.${fractionPart === '' ? '0' : fractionPart}`;
}

function pythonNumber(x: number, style: NumberStyle): string {
  if (style === 'auto' && Number.isSafeInteger(x) && !Object.is(x, -0)) return String(x);
  return pythonFloatRepr(x);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A string literal as json.dumps writes it with ensure_ascii=True: everything outside ' '..'~' escaped. */
export function pythonStringLiteral(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/**
 * `json.dumps(value)` of the equivalent Python value. `numbers: 'float'` writes every number as a Python
 * float (`0.0`), as Optuna's FloatDistribution attributes are. Object keys keep insertion order.
 */
export function pythonJsonDumps(value: PythonJsonValue, numbers: NumberStyle = 'auto'): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value, numbers);
  if (typeof value === 'string') return pythonStringLiteral(value);
  if (Array.isArray(value)) {
    return `[${value.map((item: PythonJsonValue) => pythonJsonDumps(item, numbers)).join(', ')}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: PythonJsonValue });
  return `{${entries.map(([k, v]) => `${pythonStringLiteral(k)}: ${pythonJsonDumps(v, numbers)}`).join(', ')}}`;
}

const TOKEN = {
  whitespace: /[ \t\n\r]*/y,
  // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON forbids raw control characters inside strings.
  string: /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y,
  number: /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y,
  literal: /true|false|null|NaN|Infinity|-Infinity/y,
};

const LITERALS: Readonly<Record<string, PythonJsonValue>> = {
  true: true,
  false: false,
  null: null,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** Thrown by {@link parsePythonJson}; callers wrap it with the table, row and field it came from. */
export class PythonJsonSyntaxError extends Error {}

/**
 * `json.loads` for what Python's json module writes: standard JSON plus the bare tokens NaN, Infinity
 * and -Infinity. Throws PythonJsonSyntaxError naming the offset of the first unexpected character.
 */
export function parsePythonJson(text: string): PythonJsonValue {
  let pos = 0;
  const match = (re: RegExp): string | null => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return null;
    pos = re.lastIndex;
    return m[0];
  };
  const fail = (expected: string): never => {
    throw new PythonJsonSyntaxError(
      `expected ${expected} at offset ${pos} of ${JSON.stringify(text.slice(0, 80))}`,
    );
  };
  const expect = (ch: string): void => {
    match(TOKEN.whitespace);
    if (text[pos] !== ch) fail(`'${ch}'`);
    pos++;
  };
  const peek = (): string => {
    match(TOKEN.whitespace);
    return text[pos] ?? '';
  };

  const parseValue = (): PythonJsonValue => {
    const ch = peek();
    if (ch === '{') {
      pos++;
      const out: Record<string, PythonJsonValue> = {};
      if (peek() === '}') {
        pos++;
        return out;
      }
      for (;;) {
        match(TOKEN.whitespace);
        const key = match(TOKEN.string) ?? fail('a string key');
        expect(':');
        Object.defineProperty(out, JSON.parse(key) as string, {
          value: parseValue(),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        if (peek() === '}') break;
        expect(',');
      }
      pos++;
      return out;
    }
    if (ch === '[') {
      pos++;
      const out: PythonJsonValue[] = [];
      if (peek() === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(parseValue());
        if (peek() === ']') break;
        expect(',');
      }
      pos++;
      return out;
    }
    if (ch === '"') return JSON.parse(match(TOKEN.string) ?? fail('a valid string')) as string;
    const literal = match(TOKEN.literal);
    if (literal !== null) return LITERALS[literal];
    const number = match(TOKEN.number);
    if (number !== null) return Number(number);
    return fail('a JSON value');
  };

  const value = parseValue();
  if (peek() !== '') fail('end of input');
  return value;
}

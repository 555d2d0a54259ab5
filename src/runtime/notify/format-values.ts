// Numbers, times and durations as a human reads them in a message (fixed, locale-free output).

/** A score with 2 decimals, or 2 significant digits below 0.1 (scores can be small). */
export function formatScore(x: number | null): string {
  if (x === null) return 'n/a';
  return Math.abs(x) >= 0.1 || x === 0 ? x.toFixed(2) : x.toPrecision(2);
}

/**
 * Two scores with just enough decimals to tell them apart ("1.2346 > 1.2341", not "1.23 > 1.23"); at
 * most 6 decimals.
 */
export function formatScorePair(a: number, b: number): [string, string] {
  let sa = formatScore(a);
  let sb = formatScore(b);
  for (let digits = 3; sa === sb && a !== b && digits <= 6; digits++) {
    sa = a.toFixed(digits);
    sb = b.toFixed(digits);
  }
  return [sa, sb];
}

/** "+1.23 %" (signed, 2 decimals); "n/a" for null. */
export function formatPct(x: number | null): string {
  return x === null ? 'n/a' : `${signed(x)} %`;
}

/** "+3.10 pp" (percentage points). */
export function formatPp(x: number | null): string {
  return x === null ? 'n/a' : `${signed(x)} pp`;
}

/** "10,234.56": 2 decimals with thousands separators. */
export function formatMoney(x: number | null): string {
  if (x === null) return 'n/a';
  const [whole, frac] = Math.abs(x).toFixed(2).split('.') as [string, string];
  return `${x < 0 ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** "2024-03-01 12:00 UTC" (minutes; seconds only when not zero). */
export function formatTime(ts: number | null): string {
  if (ts === null || !Number.isFinite(ts)) return 'n/a';
  const iso = new Date(ts).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds === '00' ? 16 : 19)} UTC`;
}

/** "45 s", "15 min", "2 h 5 min", "3 d 4 h": the two largest units. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** Hours as in the arena: "170 h", "170.5 h". */
export function formatHours(h: number | null): string {
  if (h === null) return 'n/a';
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

/** A missing model id as "none". */
export function orNone(x: string | null): string {
  return x ?? 'none';
}

function signed(x: number): string {
  const s = x.toFixed(2);
  return x > 0 && s !== '0.00' ? `+${s}` : s === '-0.00' ? '0.00' : s;
}

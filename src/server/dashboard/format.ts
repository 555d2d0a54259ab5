// Number and time formats of the dashboard; pure. Missing values show as an en dash, never "NaN".

const DASH = '–';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** 12345.6 -> "12,345.60". */
export function money(v: number | null | undefined): string {
  return finite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : DASH;
}

/** A plain number with fixed decimals. */
export function fixed(v: number | null | undefined, digits = 2): string {
  return finite(v) ? v.toFixed(digits) : DASH;
}

/** A signed value with a unit: "+1.23 %", "-0.50 pp". */
export function signed(v: number | null | undefined, unit: string, digits = 2): string {
  if (!finite(v)) return DASH;
  const text = v.toFixed(digits);
  return `${v > 0 ? '+' : ''}${text === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : text} ${unit}`;
}

/** An ISO string or epoch ms as "2024-03-11 19:00 UTC". */
export function utcTime(t: string | number | null | undefined): string {
  if (t === null || t === undefined) return DASH;
  const ms = typeof t === 'number' ? t : Date.parse(t);
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : DASH;
}

/** Seconds as "12 s", "5 min", "3.2 h", "2.1 d". */
export function duration(seconds: number | null | undefined): string {
  if (!finite(seconds)) return DASH;
  const s = Math.max(0, seconds);
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}

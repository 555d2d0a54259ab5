// Renders a DataReport as the readable text `data check` prints.
import type { DataReport, FileReport } from './data-report.schema.js';

/** Gaps listed one per line before the rest is summarised. */
export const GAPS_LISTED = 10;

const ORDER_TEXT = { ascending: 'oldest first', descending: 'newest first', mixed: 'unordered' } as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function fileLine(f: FileReport): string {
  const units = Object.entries(f.timestampUnits)
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => `${n} ${unit}`)
    .join(', ');
  const notes = [
    f.layout,
    plural(f.rowsRead, 'row'),
    `symbols ${f.symbols.join(', ')} (from ${f.symbolSource})`,
    ORDER_TEXT[f.order],
    `timestamps ${units}`,
  ];
  if (f.garbageLinesSkipped > 0) notes.push(`${plural(f.garbageLinesSkipped, 'garbage line')} skipped`);
  if (f.ignoredColumns.length > 0) notes.push(`ignored columns ${f.ignoredColumns.join(', ')}`);
  return `  ${f.path}: ${notes.join('; ')}`;
}

const lineText = (at: { file: string; line: number | null }) =>
  at.line === null ? at.file : `${at.file} line ${at.line}`;

function conflictLines(r: DataReport): string[] {
  const d = r.duplicates;
  if (d.conflicts === 0) return [];
  const lines = [
    `${plural(d.conflicts, 'conflicting duplicate')} (same symbol and time, different values) resolved by --on-duplicate ${d.policy}: ${plural(d.conflictingRowsDropped, 'row')} dropped`,
  ];
  const big = d.largestPriceDifference;
  if (big)
    lines.push(
      `  largest price difference: ${big.field} ${(big.relative * 100).toPrecision(3)} % (${big.symbol} ${big.ts}: ${big.kept} kept, ${big.dropped} dropped)`,
    );
  for (const e of d.examples)
    lines.push(
      `  ${e.symbol} ${e.ts}: kept ${lineText(e.kept)}, dropped ${e.dropped.file === e.kept.file ? `line ${e.dropped.line}` : lineText(e.dropped)} (${e.fields.map((f) => `${f.field} ${f.kept} vs ${f.dropped}`).join(', ')})`,
    );
  return lines;
}

function normalisations(r: DataReport): string[] {
  const lines = [
    r.duplicatesDropped > 0 ? `${plural(r.duplicatesDropped, 'exact duplicate row')} dropped` : '',
    ...conflictLines(r),
    r.garbageLinesSkipped > 0 ? `${plural(r.garbageLinesSkipped, 'garbage first line')} skipped` : '',
    r.reorderedNewestFirst > 0
      ? `${plural(r.reorderedNewestFirst, 'newest-first file')} sorted oldest first`
      : '',
    r.secondsConverted > 0
      ? `${plural(r.secondsConverted, 'timestamp')} converted from epoch seconds to ms`
      : '',
  ].filter((line) => line !== '');
  return lines.length === 0 ? ['  none'] : lines.map((line) => `  ${line}`);
}

function droppedFrames(r: DataReport): string[] {
  const { count, missingBySymbol, first, last } = r.incompleteFrames;
  if (count === 0) return ['dropped incomplete frames: none'];
  const lacking = Object.entries(missingBySymbol)
    .filter(([, n]) => n > 0)
    .map(([symbol, n]) => `${symbol} lacks ${n}`);
  const examples = [
    ...first,
    ...(last.length > 0 && first.length + last.length < count ? [null] : []),
    ...last,
  ];
  return [
    `dropped incomplete frames: ${count} (${lacking.join(', ')})`,
    ...examples.map((e) => (e === null ? '  ...' : `  ${e.ts} missing ${e.missing.join(', ')}`)),
  ];
}

function gapLines(r: DataReport): string[] {
  if (r.gaps.length === 0) return ['gaps: none'];
  const missing = r.gaps.reduce((sum, g) => sum + g.missingBars, 0);
  const lines = r.gaps
    .slice(0, GAPS_LISTED)
    .map((g) => `  ${g.symbol} ${g.from} .. ${g.to}: ${plural(g.missingBars, 'bar')} missing`);
  if (r.gaps.length > GAPS_LISTED) lines.push(`  ... and ${r.gaps.length - GAPS_LISTED} more`);
  return [`gaps: ${r.gaps.length} (${plural(missing, 'bar')} missing, not filled)`, ...lines];
}

function suspiciousLines(r: DataReport): string[] {
  const s = r.suspicious;
  if (s === null) return [];
  if (s.count === 0) return ['suspicious bars: none'];
  const kinds = Object.entries(s.byKind)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const lines = s.bars.map(
    (b) =>
      `  ${b.kind} ${b.symbol} ${b.ts}${b.toTs === b.ts ? '' : ` .. ${b.toTs}`} (${b.file} line ${b.line}): ${b.detail}`,
  );
  if (s.count > s.bars.length) lines.push(`  ... and ${s.count - s.bars.length} more`);
  return [`suspicious bars: ${s.count} (${kinds}; warnings, --strict refuses them)`, ...lines];
}

/** Multi-line text of `report`, ending with a newline. */
export function formatDataReport(report: DataReport): string {
  const r = report;
  const lines = [
    `ok: ${plural(r.files.length, 'file')}, ${plural(r.rowsRead, 'row')}, ${plural(r.symbols.length, 'symbol')}, ${plural(r.frames, 'frame')} of ${r.timeframe} (${r.timeframeSource})`,
    `range: ${r.firstTs} .. ${r.lastTs}`,
    'files:',
    ...r.files.map(fileLine),
    'symbols:',
    ...r.bars.map((b) => `  ${b.symbol}: ${plural(b.bars, 'bar')}, ${b.firstTs} .. ${b.lastTs}`),
    'normalised:',
    ...normalisations(r),
    ...gapLines(r),
    ...droppedFrames(r),
  ];
  lines.push(...suspiciousLines(r));
  if (r.warnings.length > 0) lines.push('warnings:', ...r.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}

// Plain-text rendering of results for the terminal (JSON output bypasses this).
import type { BacktestResult } from '../backtest/index.js';

/** A number with `digits` decimals, or "n/a" for null (an undefined metric). */
export function fmt(value: number | null | undefined, digits = 2, suffix = ''): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : `${value.toFixed(digits)}${suffix}`;
}

/** Two aligned columns: label and value. */
export function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

export function formatBacktest(r: Omit<BacktestResult, 'equity' | 'fills' | 'decisions'>): string {
  return `${table([
    ['model', r.model],
    ['symbols', r.symbols.join(', ')],
    ['window', `${r.from} .. ${r.to} (${r.bars} bars)`],
    ['return', fmt(r.returnPct, 2, ' %')],
    ['CAGR', fmt(r.cagrPct, 2, ' %')],
    ['volatility', fmt(r.volatilityPct, 2, ' %')],
    ['Sharpe', fmt(r.sharpe)],
    ['Sortino', fmt(r.sortino)],
    ['max drawdown', fmt(r.maxDrawdownPct, 2, ' %')],
    ['Calmar', fmt(r.calmar)],
    ['PSR', fmt(r.psr, 3)],
    ['win rate', fmt(r.winRatePct, 1, ' %')],
    ['turnover', fmt(r.turnover, 2, 'x')],
    ['exposure', fmt(r.exposurePct, 1, ' %')],
    ['trades', String(r.trades)],
    ['fees paid', fmt(r.feesPaid)],
    ['final equity', fmt(r.finalEquity)],
    ['refused outputs', String(r.rejectedSteps)],
    ['overlay exits', String(r.overlayExits)],
  ])}\n`;
}

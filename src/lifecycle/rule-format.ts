// The one rendering of gate rules as text, for logs, reasons, notifications, the CLI and the dashboard.
// Pure and free of zod at run time (the dashboard bundles it).
import type { RuleResult } from './promotion-check.js';

/** A number as rules show it: 4 significant digits ("-3.861", "168", "2.19"), "n/a" for null. */
function figure(x: number | null): string {
  return x === null ? 'n/a' : String(Number(x.toPrecision(4)));
}

/** One rule as "rule value vs threshold", its detail after it: "minPValue 0.03 vs 0.05 (statistic 2.1, ...)". */
export function formatRule(r: RuleResult): string {
  const detail = r.detail ? Object.entries(r.detail) : [];
  const evidence =
    detail.length === 0
      ? ''
      : ` (${detail.map(([k, v]) => `${k} ${typeof v === 'number' ? figure(v) : String(v)}`).join(', ')})`;
  return `${r.rule} ${figure(r.value)} vs ${r.threshold}${evidence}`;
}

/** The failed rules, each as formatRule renders it. */
export function failedRules(rules: readonly RuleResult[]): string[] {
  return rules.filter((r) => !r.passed).map(formatRule);
}

/** "all rules hold", or "failed: " and the failed rules: for logs, member reasons and refusals. */
export function describeFailures(rules: readonly RuleResult[]): string {
  const failed = failedRules(rules);
  return failed.length === 0 ? 'all rules hold' : `failed: ${failed.join(', ')}`;
}

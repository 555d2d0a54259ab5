// Parsers for CLI option values: each names the flag, what was expected and what was found.
import { type Command, InvalidArgumentError } from 'commander';

/** A finite number; `min`/`max` bound it inclusively. */
export function numberOption(flag: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`${flag} must be a number, was "${value}"`);
    if (n < min || n > max) throw new InvalidArgumentError(`${flag} must be in [${min}, ${max}], was ${n}`);
    return n;
  };
}

/** A whole number >= min. */
export function intOption(flag: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${flag} must be an integer >= ${min}, was "${value}"`);
    return n;
  };
}

/** An ISO-8601 date or date-time, returned as epoch ms (UTC when no zone is given). */
export function isoOption(flag: string) {
  return (value: string): number => {
    const withZone =
      /[zZ]|[+-]\d\d:?\d\d$/.test(value) || /^\d{4}-\d\d-\d\d$/.test(value) ? value : `${value}Z`;
    const ms = Date.parse(withZone);
    // Date.parse rolls 2024-02-30 over to March; a date that does not round-trip does not exist.
    const date = /^(\d{4}-\d\d-\d\d)/.exec(value)?.[1];
    const exists =
      Number.isFinite(ms) &&
      (date === undefined || new Date(ms).toISOString().startsWith(date) || /[+-]\d\d:?\d\d$/.test(value));
    if (!exists)
      throw new InvalidArgumentError(
        `${flag} must be an ISO date such as 2024-01-31 or 2024-01-31T12:00Z, was "${value}"`,
      );
    return ms;
  };
}

/** A comma-separated list of non-empty names. */
export function listOption(flag: string) {
  return (value: string): string[] => {
    const items = value.split(',').map((s) => s.trim());
    if (items.some((s) => s === ''))
      throw new InvalidArgumentError(
        `${flag} must be a comma-separated list without empty items, was "${value}"`,
      );
    return items;
  };
}

/** `--commit-every N`: the commit cadence of a historical feed, for every command that runs the frame loop. */
export function addCommitEveryOption(cmd: Command): Command {
  return cmd.option(
    '--commit-every <frames>',
    'on historical bars, commit the state files every N frames (default: every 500 ms of work or 2,000 frames); what a kill can lose',
    intOption('--commit-every', 1),
  );
}

// The issue's must-hold on the docs: docs/lifecycle.md's rolling-evaluation tables ("Defaults by evidence")
// exist and state their windows, data, configurations, command and run time; each lists every window it
// states; and the defaults the section chose are the configuration's defaults.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkspaceConfigSchema } from '../src/config/workspace-config.js';

const HOUR_MS = 3_600_000;
const doc = readFileSync(new URL('../docs/lifecycle.md', import.meta.url), 'utf8');
const HEADING = '### Defaults by evidence: the rolling evaluation';

function section(): string {
  const start = doc.indexOf(HEADING);
  expect(start, `docs/lifecycle.md has the section "${HEADING}"`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The result blocks: from a line starting with "*Real prices" or "*Built-in market" to the next one. */
function blocks(text: string): string[] {
  const lines = text.split('\n');
  const starts = lines.flatMap((l, i) => (/^\*(Real prices|Built-in market)/.test(l) ? [i] : []));
  return starts.map((s, k) => lines.slice(s, starts[k + 1] ?? lines.length).join('\n'));
}

const cells = (row: string) =>
  row
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00Z`);

describe('docs/lifecycle.md: the rolling evaluation behind the defaults', () => {
  it('names its command and every configuration it compares', () => {
    const text = section();
    expect(text).toMatch(/evaluate --data \$DATA --windows \d+ --window-hours \d+ --train-hours \d+/);
    expect(text).toMatch(/Binance_ADAUSDT_1h\.csv/);
    expect(text).toMatch(/builtin\?seed=\d+&bars=\d+/);
    const configurations = text
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map((l) => cells(l)[0]);
    for (const name of ['seed', 'evidence', 'test', 'evidence + test'])
      expect(configurations, `configuration ${name}`).toContain(name);
  });

  it('every block states its data, windows and run time, and lists each window it states', () => {
    const found = blocks(section());
    expect(found.some((b) => b.startsWith('*Real prices'))).toBe(true);
    expect(found.some((b) => b.startsWith('*Built-in market'))).toBe(true);
    for (const block of found) {
      // its first paragraph: the data, the windows and the time of the first run
      const title = block.split('\n\n')[0]!.replaceAll('\n', ' ');
      expect(title, 'data named').toMatch(/Binance|builtin\?seed=/);
      const stated = title.match(
        /(\d+) x (\d+) h, (\d{4}-\d\d-\d\d \d\d:\d\d) \.\. (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/,
      );
      expect(stated, `${title}: states its windows as "N x H h, from .. to UTC"`).not.toBeNull();
      const [, n, hours, from, to] = stated!;
      expect(title, 'states the first run time').toMatch(/first run[^;]*\d+ s \(\d+ s CPU\)/);

      const rows = block.split('\n').filter((l) => l.startsWith('| '));
      const configurationRows = rows.filter((r) =>
        ['seed', 'evidence', 'test', 'evidence + test'].includes(cells(r)[0]!),
      );
      expect(configurationRows.length, `${title}: the four configurations`).toBeGreaterThanOrEqual(4);
      for (const r of configurationRows)
        expect(cells(r).at(-1), `${title}: run time of ${cells(r)[0]}`).toMatch(/^\d+ s \(\d+ s CPU\)$/);

      const windowRows = rows.filter((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(cells(r)[0]!));
      expect(windowRows.length, `${title}: one row per window`).toBe(Number(n));
      const starts = windowRows.map((r) => utc(cells(r)[0]!));
      expect(starts[0]).toBe(utc(from!));
      // windows are whole bars: exchange gaps can only make a window's span longer than H hours
      for (let k = 1; k < starts.length; k++)
        expect(starts[k]! - starts[k - 1]!).toBeGreaterThanOrEqual(Number(hours) * HOUR_MS);
      expect(utc(to!) - starts.at(-1)!).toBeGreaterThanOrEqual(Number(hours) * HOUR_MS);
    }
  });

  it('the defaults it chose are the ones the configuration ships', () => {
    const chosen = section().match(
      /Chosen defaults: `deployer\.policy: (\w+)`, `arena\.gate\.test: ([^`]+)`/,
    );
    expect(chosen, 'the section states "Chosen defaults: ..."').not.toBeNull();
    const defaults = WorkspaceConfigSchema.parse({ schemaVersion: 1 });
    expect(defaults.deployer.policy).toBe(chosen![1]);
    // the statement's value (`null` or a test's settings, e.g. `{}`) as the configuration resolves it
    const stated = JSON.parse(chosen![2]!) as object | null;
    const expected =
      stated === null
        ? null
        : WorkspaceConfigSchema.parse({ schemaVersion: 1, arena: { gate: { test: stated } } }).arena.gate
            .test;
    expect(defaults.arena.gate.test).toEqual(expected);
  });
});

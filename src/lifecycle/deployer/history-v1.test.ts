// history.jsonl written before entries were typed still reads, line for line, into the typed union.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countDecisions } from '../../runtime/notify/daily-summary.js';
import { historyNotification } from '../../runtime/notify/history-mapping.js';
import { readJournal } from '../../state/index.js';
import { HistoryEntrySchema } from './history-entry.js';

// Every kind of decision, written by the deployer of the code before typed entries (a first deployment,
// a skip, a re-score and the deployment it allowed, a candidate refused at the re-check with the paper
// window not covered, one refused because it had left the arena, a promotion, operator requests (a
// refused promote, a pause, an applied promote, a rollback) and an ensemble deployment).
const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/history-v1.jsonl');
const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
const { entries } = readJournal(FIXTURE, HistoryEntrySchema);

describe('history.jsonl written by the earlier code', () => {
  it('reads every line as its action, and writes each back byte for byte', () => {
    expect(entries.map((e) => e.action)).toEqual([
      'deploy',
      'skip',
      'rescore',
      'deploy',
      'refuse',
      'refuse',
      'promote',
      'manual',
      'manual',
      'manual',
      'manual',
      'deploy',
    ]);
    // A refusal of a model that had left the arena was written without the window's start, PSR and
    // drawdown: it reads them as null, and is the only line that changes when written again.
    const missing = entries[5]!;
    expect(missing.action === 'refuse' && missing.details).toMatchObject({
      windowStartTs: null,
      psr: null,
      maxDrawdownPct: null,
      rules: [{ rule: 'inArena', passed: false }],
    });
    entries.forEach((e, k) => {
      if (k !== 5) expect(JSON.stringify(e)).toBe(lines[k]);
    });
  });

  it('gives the notifications and counts of what was decided, from the typed fields', () => {
    const kinds = entries.map((e) => {
      const n = historyNotification(e);
      const modelId = (n as { modelId?: string } | null)?.modelId;
      return n && { kind: n.kind, modelId, ...('source' in n ? { source: n.source } : {}) };
    });
    expect(kinds).toEqual([
      { kind: 'deployment', modelId: 's/0', source: 'training' },
      null, // skip
      null, // rescore
      { kind: 'deployment', modelId: 's/3', source: 'training' },
      { kind: 'candidate-refused', modelId: 's/1' },
      { kind: 'candidate-refused', modelId: 's/0' },
      { kind: 'promotion', modelId: 's/1' },
      null, // a refused promote request: nothing was deployed
      null, // pause
      { kind: 'deployment', modelId: 's/0', source: 'manual' },
      { kind: 'deployment', modelId: 's/1', source: 'manual' },
      { kind: 'deployment', modelId: '_ensembles/s-1+s-0', source: 'ensemble' },
    ]);
    expect(historyNotification(entries[3]!)).toMatchObject({
      trainingScore: 0.9,
      previousModelId: 's/0',
      previousScore: 0.55, // the re-scored deployed model
      margin: 0.1,
    });
    expect(historyNotification(entries[4]!)).toMatchObject({ failedRules: ['minExcessPct n/a vs 2'] });
    expect(historyNotification(entries[6]!)).toMatchObject({
      previousModelId: 's/3',
      hours: 171,
      excessReturnPct: 2.7,
    });
    expect(historyNotification(entries[11]!)).toMatchObject({ members: 2, trainingScore: 0.6 });
    expect(countDecisions(entries, 0, Number.POSITIVE_INFINITY)).toEqual({
      deployments: 5, // three deploy lines and two operator swaps (not the pause, not the refused request)
      promotions: 1,
      refusals: 2,
    });
  });
});

// Deployer decisions (history.jsonl entries) as notifications: deploy, promote, refuse and manual only.
import { z } from 'zod';
import type { HistoryEntry } from '../../lifecycle/deployer/index.js';
import { failedRules, RuleResultSchema } from '../../lifecycle/promotion-check.js';
import type { Notification } from './notification.js';

/**
 * The notification for one deployer decision, or null for decisions nobody needs to be told about
 * (skip, offer, remove, rescore). deploy -> deployment (source training, or ensemble when the entry lists
 * members), manual -> deployment (source manual), promote -> promotion, refuse -> candidate-refused.
 * `ts` is the decision's time (`at`, the bar's close); the dedupe key holds the cycle, so an entry
 * re-appended after a crash is not announced twice by the same process.
 */
export function historyNotification(entry: HistoryEntry): Notification | null {
  const d = entry.details;
  const modelId = entry.modelId;
  if (modelId === null) return null;
  const at = Date.parse(entry.at);
  const common = { ts: Number.isFinite(at) ? at : entry.cycleTs, modelId, trialNumber: entry.trialNumber };
  const key = `${entry.action}:${modelId}:${entry.cycleTs}`;
  switch (entry.action) {
    case 'deploy':
    case 'manual': {
      const members = Array.isArray(d['members']) ? d['members'].length : null;
      const source = entry.action === 'manual' ? 'manual' : members !== null ? 'ensemble' : 'training';
      return {
        kind: 'deployment',
        severity: 'info',
        dedupeKey: `deployment:${modelId}:${entry.cycleTs}`,
        ...common,
        trainingScore: num(d, 'candidateScore') ?? num(d, 'meanScore') ?? num(d, 'trainingScore'),
        source,
        previousModelId: str(d, 'replaced') ?? str(d, 'previousModelId'),
        previousScore: num(d, 'rescoredDeployedScore') ?? num(d, 'deployedScore'),
        margin: num(d, 'margin'),
        members: members === 0 ? null : members,
        reason: entry.reason,
      };
    }
    case 'promote':
      return {
        kind: 'promotion',
        severity: 'info',
        dedupeKey: key,
        ...common,
        previousModelId: str(d, 'replaced'),
        hours: num(d, 'hours'),
        returnPct: num(d, 'returnPct'),
        paperReturnPct: num(d, 'paperReturnPct'),
        excessReturnPct: num(d, 'excessReturnPct'),
        sharpe: num(d, 'sharpe'),
        windowStart: str(d, 'windowStart'),
        reason: entry.reason,
      };
    case 'refuse':
      return {
        kind: 'candidate-refused',
        severity: 'warning',
        dedupeKey: key,
        ...common,
        reason: entry.reason,
        hours: num(d, 'hours'),
        excessReturnPct: num(d, 'excessReturnPct'),
        sharpe: num(d, 'sharpe'),
        failedRules: failedRulesOf(d['rules']),
      };
    default:
      return null;
  }
}

/** The gate's failed rules of the check the entry records, as the one renderer shows them. */
function failedRulesOf(rules: unknown): string[] {
  const parsed = z.array(RuleResultSchema).safeParse(rules);
  return parsed.success ? failedRules(parsed.data) : [];
}

function num(d: Record<string, unknown>, key: string): number | null {
  const v = d[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(d: Record<string, unknown>, key: string): string | null {
  const v = d[key];
  return typeof v === 'string' ? v : null;
}

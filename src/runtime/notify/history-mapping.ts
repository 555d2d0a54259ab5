// Deployer decisions (history.jsonl entries) as notifications: deploy, promote, refuse and manual only.
import { type HistoryEntry, type HistoryEntryOf, isManualSwap } from '../../lifecycle/deployer/index.js';
import { failedRules } from '../../lifecycle/rule-format.js';
import type { Notification, NotificationKind, NotificationOf, Severity } from './notification.js';

/**
 * The notification for one deployer decision, or null for decisions nobody needs to be told about
 * (skip, rescore, operator requests that swapped nothing) and for entries about no model. deploy ->
 * deployment (source training, or ensemble for an ensemble's members), manual -> deployment (source
 * manual) when the request swapped models (isManualSwap),
 * promote -> promotion, refuse -> candidate-refused. `ts` is the decision's time (`at`, the bar's close);
 * the dedupe key holds the cycle, so an entry re-appended after a crash is not announced twice by the
 * same process. Every field is read from the entry's typed details.
 */
export function historyNotification(entry: HistoryEntry): Notification | null {
  const modelId = entry.modelId;
  if (modelId === null) return null;
  const at = Date.parse(entry.at);
  /** The fields every notification of a decision opens with. */
  const heading = <K extends NotificationKind>(kind: K, severity: Severity, dedupeKey: string) => ({
    kind,
    severity,
    dedupeKey,
    ts: Number.isFinite(at) ? at : entry.cycleTs,
    modelId,
    trialNumber: entry.trialNumber,
  });
  const key = `${entry.action}:${modelId}:${entry.cycleTs}`;
  // deploy and manual both announce a deployment, under one key
  const deployment = () => ({
    ...heading('deployment', 'info', `deployment:${modelId}:${entry.cycleTs}`),
    reason: entry.reason,
  });
  switch (entry.action) {
    case 'deploy':
      return { ...deployment(), ...deployed(entry) };
    case 'manual': {
      if (!isManualSwap(entry)) return null; // pause, resume, or a refused request: nothing was deployed
      const d = entry.details;
      return {
        ...deployment(),
        trainingScore: d.trainingScore ?? null,
        source: 'manual',
        previousModelId: d.replaced ?? null,
        previousScore: null,
        margin: null,
        members: null,
      };
    }
    case 'promote': {
      const d = entry.details;
      return {
        ...heading('promotion', 'info', key),
        previousModelId: d.replaced,
        hours: d.hours,
        returnPct: d.returnPct,
        paperReturnPct: d.paperReturnPct,
        excessReturnPct: d.excessReturnPct,
        sharpe: d.sharpe,
        windowStart: d.windowStart === '' ? null : d.windowStart,
        reason: entry.reason,
      };
    }
    case 'refuse': {
      const d = entry.details;
      return {
        ...heading('candidate-refused', 'warning', key),
        reason: entry.reason,
        hours: d.hours,
        excessReturnPct: d.excessReturnPct,
        sharpe: d.sharpe,
        failedRules: failedRules(d.rules),
      };
    }
    default:
      return null;
  }
}

/** What a `deploy` entry says: a trial on its training score, or an ensemble of trials. */
function deployed(
  entry: HistoryEntryOf<'deploy'>,
): Pick<
  NotificationOf<'deployment'>,
  'trainingScore' | 'source' | 'previousModelId' | 'previousScore' | 'margin' | 'members'
> {
  const d = entry.details;
  if ('members' in d)
    return {
      trainingScore: d.meanScore,
      source: 'ensemble',
      previousModelId: null,
      previousScore: null,
      margin: null,
      members: d.members.length === 0 ? null : d.members.length,
    };
  return {
    trainingScore: d.candidateScore,
    source: 'training',
    previousModelId: d.replaced,
    previousScore: d.rescoredDeployedScore ?? d.deployedScore,
    margin: d.margin,
    members: null,
  };
}

// What a notification says, before any channel's format: a title, a short text and labelled fields.
import {
  formatDuration,
  formatHours,
  formatMoney,
  formatPct,
  formatPp,
  formatScore,
  formatScorePair,
  formatTime,
  orNone,
} from './format-values.js';
import type {
  NotificationOf,
  OutgoingEvent,
  OverlayName,
  Severity,
  SuppressedNotice,
} from './notification.js';

export interface MessageField {
  readonly name: string;
  readonly value: string;
}

/** A channel-neutral message: plain text (channels escape and truncate it for their own rules). */
export interface Message {
  readonly kind: OutgoingEvent['kind'];
  readonly severity: Severity;
  /** Epoch ms of the event. */
  readonly ts: number;
  /** One line that says what happened, e.g. "Deployed s1/42 (training score 1.23 > 0.98)". */
  readonly title: string;
  /** Why, or the details that do not fit a field; may be empty. */
  readonly text: string;
  readonly fields: readonly MessageField[];
}

/** Describes an event for a human. Pure; never throws for a valid event. */
export function describeEvent(event: OutgoingEvent): Message {
  const { title, text, fields } = describeParts(event);
  return { kind: event.kind, severity: event.severity, ts: event.ts, title, text, fields };
}

type Parts = Pick<Message, 'title' | 'text' | 'fields'>;

function describeParts(e: OutgoingEvent): Parts {
  switch (e.kind) {
    case 'deployment':
      return deployment(e);
    case 'promotion':
      return {
        title: `Promoted ${e.modelId} (${formatPp(e.excessReturnPct)} over paper in ${formatHours(e.hours)}, Sharpe ${formatScore(e.sharpe)})`,
        text: e.reason,
        fields: [
          { name: 'Model', value: e.modelId },
          { name: 'Arena return', value: formatPct(e.returnPct) },
          { name: 'Paper return', value: formatPct(e.paperReturnPct) },
          { name: 'Excess return', value: formatPp(e.excessReturnPct) },
          { name: 'Hours in arena', value: formatHours(e.hours) },
          { name: 'Sharpe', value: formatScore(e.sharpe) },
          {
            name: 'Window start',
            value: e.windowStart === null ? 'n/a' : formatTime(Date.parse(e.windowStart)),
          },
          { name: 'Replaces', value: orNone(e.previousModelId) },
        ],
      };
    case 'candidate-refused':
      return {
        title: `Refused promotion candidate ${e.modelId}`,
        text: e.reason,
        fields: [
          { name: 'Model', value: e.modelId },
          { name: 'Excess return', value: formatPp(e.excessReturnPct) },
          { name: 'Hours in arena', value: formatHours(e.hours) },
          { name: 'Sharpe', value: formatScore(e.sharpe) },
          ...(e.failedRules.length > 0 ? [{ name: 'Failed rules', value: e.failedRules.join('\n') }] : []),
        ],
      };
    case 'risk-overlay':
      return riskOverlay(e);
    case 'model-unavailable':
      return {
        title: `Deployed model ${e.modelId} cannot be loaded: holding positions since ${formatTime(e.sinceBarTs)}`,
        text: e.reason,
        fields: [
          { name: 'Model', value: e.modelId },
          { name: 'Holding since', value: formatTime(e.sinceBarTs) },
          { name: 'Bar', value: formatTime(e.barTs) },
        ],
      };
    case 'data-outage':
      return {
        title:
          e.status === 'started'
            ? `Data outage: no complete bar from ${e.source} for ${formatDuration(e.durationMs)}`
            : `Data from ${e.source} is back after ${formatDuration(e.durationMs)}`,
        text: e.detail ?? '',
        fields: [
          { name: 'Source', value: e.source },
          { name: 'Last complete bar', value: formatTime(e.lastBarTs) },
          { name: 'Duration', value: formatDuration(e.durationMs) },
          ...(e.symbols.length > 0 ? [{ name: 'Symbols', value: e.symbols.join(', ') }] : []),
        ],
      };
    case 'service-stalled':
      return {
        title: `Service ${e.service} stalled: no progress for ${formatDuration(e.stalledForMs)}`,
        text: e.detail ?? '',
        fields: [
          { name: 'Service', value: e.service },
          { name: 'Stalled for', value: formatDuration(e.stalledForMs) },
          { name: 'Last bar', value: formatTime(e.lastBarTs) },
        ],
      };
    case 'service-restarted':
      return {
        title: `Service ${e.service} restarted (restart ${e.restarts})`,
        text: e.reason,
        fields: [
          { name: 'Service', value: e.service },
          { name: 'Restarts', value: String(e.restarts) },
          { name: 'Exit code', value: e.exitCode === null ? 'n/a' : String(e.exitCode) },
        ],
      };
    case 'daily-summary':
      return dailySummary(e);
    case 'notifications-suppressed':
      return suppressed(e);
  }
}

function deployment(e: NotificationOf<'deployment'>): Parts {
  let title: string;
  if (e.source === 'ensemble')
    title = `Deployed an ensemble of ${e.members ?? '?'} trials (mean training score ${formatScore(e.trainingScore)})`;
  else if (e.source === 'manual')
    title = `Deployed ${e.modelId} manually (training score ${formatScore(e.trainingScore)})`;
  else if (e.trainingScore !== null && e.previousScore !== null) {
    const [now, before] = formatScorePair(e.trainingScore, e.previousScore);
    title = `Deployed ${e.modelId} (training score ${now} > ${before})`;
  } else if (e.previousModelId === null)
    title = `Deployed ${e.modelId} (training score ${formatScore(e.trainingScore)}, first deployment)`;
  else title = `Deployed ${e.modelId} (training score ${formatScore(e.trainingScore)})`;
  const fields = [
    { name: 'Model', value: e.modelId },
    { name: 'Training score', value: formatScore(e.trainingScore) },
    { name: 'Source', value: e.source },
    { name: 'Replaces', value: orNone(e.previousModelId) },
  ];
  if (e.previousScore !== null) fields.push({ name: 'Score beaten', value: formatScore(e.previousScore) });
  if (e.margin !== null) fields.push({ name: 'Margin', value: formatScore(e.margin) });
  if (e.members !== null) fields.push({ name: 'Members', value: String(e.members) });
  return { title, text: e.reason, fields };
}

const OVERLAY_LABELS: Record<OverlayName, string> = {
  'stop-loss': 'Stop-loss',
  'trailing-stop': 'Trailing stop',
  'drawdown-stop': 'Drawdown stop',
};

function riskOverlay(e: NotificationOf<'risk-overlay'>): Parts {
  const where = e.modelId === null ? e.service : `${e.service}, ${e.modelId}`;
  const drawdown = e.triggers.some((t) => t.overlay === 'drawdown-stop');
  const positions = e.triggers.filter((t) => t.symbol !== null);
  const only = e.triggers[0]!;
  let title: string;
  if (drawdown) title = `Drawdown stop liquidated the portfolio (${where})`;
  else if (positions.length === 1) title = `${OVERLAY_LABELS[only.overlay]} sold ${only.symbol} (${where})`;
  else title = `Risk overlays closed ${positions.length} positions (${where})`;
  return {
    title,
    text: e.triggers.map((t) => `${OVERLAY_LABELS[t.overlay]}: ${t.symbol ?? 'whole portfolio'}`).join('\n'),
    fields: [
      { name: 'Service', value: e.service },
      { name: 'Model', value: orNone(e.modelId) },
      { name: 'Bar', value: formatTime(e.barTs) },
      { name: 'Equity', value: formatMoney(e.equity) },
    ],
  };
}

function dailySummary(e: NotificationOf<'daily-summary'>): Parts {
  const change = e.returnPct24h === null ? '' : ` (${formatPct(e.returnPct24h)} in 24 h)`;
  const leader = e.arenaLeader;
  return {
    title: `Daily summary ${e.date}: equity ${formatMoney(e.equity)}${change}`,
    text: `In the last 24 h: ${plural(e.deployments, 'deployment')}, ${plural(e.promotions, 'promotion')}, ${plural(e.refusals, 'refused candidate')}.`,
    fields: [
      { name: 'Equity', value: formatMoney(e.equity) },
      { name: '24 h return', value: formatPct(e.returnPct24h) },
      {
        name: 'Deployed model',
        value:
          e.deployedModelId === null
            ? 'none'
            : `${e.deployedModelId} (training score ${formatScore(e.deployedScore)})`,
      },
      {
        name: 'Arena leader',
        value:
          leader === null
            ? 'none'
            : `${leader.modelId}: ${formatPct(leader.returnPct)}, ${formatPp(leader.excessReturnPct)} vs paper, ${formatHours(leader.hours)}`,
      },
      { name: 'Deployments', value: String(e.deployments) },
      { name: 'Promotions', value: String(e.promotions) },
      { name: 'Refused candidates', value: String(e.refusals) },
    ],
  };
}

function suppressed(e: SuppressedNotice): Parts {
  const kinds = Object.entries(e.byKind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return {
    title: `${e.count} more ${e.count === 1 ? 'notification' : 'notifications'} suppressed by the rate limit`,
    text: kinds === '' ? '' : `Held back: ${kinds}. See the services' logs for the details.`,
    fields: [],
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

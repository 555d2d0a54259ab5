// The Notification event: what happened, for a human, as one discriminated union on `kind`.
import { z } from 'zod';

/** Every kind of notification, in the order docs/notifications.md lists them. */
export const NOTIFICATION_KINDS = [
  'deployment',
  'promotion',
  'candidate-refused',
  'risk-overlay',
  'model-unavailable',
  'data-outage',
  'service-stalled',
  'service-restarted',
  'daily-summary',
] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/** info: a normal lifecycle event; warning: a human may want to look; critical: look now. */
export const SeveritySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

/** The risk overlays of the simulator (sim's FillReason without 'policy'). */
export const OverlayNameSchema = z.enum(['stop-loss', 'trailing-stop', 'drawdown-stop']);
export type OverlayName = z.infer<typeof OverlayNameSchema>;

const finite = z.number().finite();
const trial = z.number().int().nullable();

/** Fields every notification has. */
const base = {
  severity: SeveritySchema,
  /** When it happened, epoch ms: the bar's time for lifecycle events, wall time for service events. */
  ts: finite,
  /** Notifications with the same key within the dedupe window are sent once. */
  dedupeKey: z.string().min(1),
};

export const DeploymentNotificationSchema = z.strictObject({
  kind: z.literal('deployment'),
  ...base,
  modelId: z.string(),
  trialNumber: trial,
  trainingScore: finite.nullable(),
  /** training: beat the deployed score; manual: an operator's choice; ensemble: the top-N vote changed. */
  source: z.enum(['training', 'manual', 'ensemble']),
  previousModelId: z.string().nullable(),
  /** The score the new model beat (the deployed model's, re-scored on the new windows when it was). */
  previousScore: finite.nullable(),
  margin: finite.nullable(),
  /** Ensemble members (ensemble source only). */
  members: z.number().int().min(1).nullable(),
  reason: z.string(),
});

export const PromotionNotificationSchema = z.strictObject({
  kind: z.literal('promotion'),
  ...base,
  modelId: z.string(),
  trialNumber: trial,
  previousModelId: z.string().nullable(),
  /** Hours the model ran in the arena. */
  hours: finite.nullable(),
  /** Arena return and the paper trader's over the same window, percent; excess in percentage points. */
  returnPct: finite.nullable(),
  paperReturnPct: finite.nullable(),
  excessReturnPct: finite.nullable(),
  sharpe: finite.nullable(),
  /** ISO start of the compared window. */
  windowStart: z.string().nullable(),
  reason: z.string(),
});

export const CandidateRefusedNotificationSchema = z.strictObject({
  kind: z.literal('candidate-refused'),
  ...base,
  modelId: z.string(),
  trialNumber: trial,
  reason: z.string(),
  hours: finite.nullable(),
  excessReturnPct: finite.nullable(),
  sharpe: finite.nullable(),
  /** The gate rules it failed, as "rule value vs threshold". */
  failedRules: z.array(z.string()),
});

export const RiskOverlayNotificationSchema = z.strictObject({
  kind: z.literal('risk-overlay'),
  ...base,
  /** The service whose portfolio it was: 'paper' (or an arena member's). */
  service: z.string(),
  modelId: z.string().nullable(),
  /** Open time of the bar at whose close the overlay fired. */
  barTs: finite,
  /** What fired, one per position (symbol null: the portfolio drawdown stop). */
  triggers: z.array(z.strictObject({ overlay: OverlayNameSchema, symbol: z.string().nullable() })).min(1),
  /** Equity after the bar, quote currency, when known. */
  equity: finite.nullable(),
});

export const ModelUnavailableNotificationSchema = z.strictObject({
  kind: z.literal('model-unavailable'),
  ...base,
  /** The deployed model the paper trader cannot load. */
  modelId: z.string(),
  /** Why (bundle gone or changed, invalid manifest, other symbols). */
  reason: z.string(),
  /** Open time of the first bar at which the trader held its positions because of it. */
  sinceBarTs: finite,
  /** Open time of the bar this notification is about (the first, then one a day while it lasts). */
  barTs: finite,
});

export const DataOutageNotificationSchema = z.strictObject({
  kind: z.literal('data-outage'),
  ...base,
  /** The feed or exchange, e.g. "binance". */
  source: z.string(),
  /** started: no complete frame for longer than expected; resolved: frames flow again. */
  status: z.enum(['started', 'resolved']),
  /** How long without a complete frame, ms. */
  durationMs: finite.min(0),
  /** Open time of the last complete frame before the gap. */
  lastBarTs: finite.nullable(),
  /** Symbols missing, when known (empty: all or unknown). */
  symbols: z.array(z.string()),
  detail: z.string().nullable(),
});

export const ServiceStalledNotificationSchema = z.strictObject({
  kind: z.literal('service-stalled'),
  ...base,
  service: z.string(),
  /** Time since its last progress (heartbeat or applied bar), ms. */
  stalledForMs: finite.min(0),
  lastBarTs: finite.nullable(),
  detail: z.string().nullable(),
});

export const ServiceRestartedNotificationSchema = z.strictObject({
  kind: z.literal('service-restarted'),
  ...base,
  service: z.string(),
  /** Restarts so far in this supervisor run (1 for the first). */
  restarts: z.number().int().min(1),
  reason: z.string(),
  exitCode: z.number().int().nullable(),
});

export const DailySummaryNotificationSchema = z.strictObject({
  kind: z.literal('daily-summary'),
  ...base,
  /** UTC date of `ts`, YYYY-MM-DD. */
  date: z.string(),
  /** Paper trader equity now and 24 h earlier (null when not known), quote currency. */
  equity: finite,
  equityDayAgo: finite.nullable(),
  /** equity / equityDayAgo - 1, percent. */
  returnPct24h: finite.nullable(),
  deployedModelId: z.string().nullable(),
  deployedScore: finite.nullable(),
  arenaLeader: z
    .strictObject({
      modelId: z.string(),
      hours: finite,
      returnPct: finite.nullable(),
      excessReturnPct: finite.nullable(),
    })
    .nullable(),
  /** Decisions of the deployer in the last 24 h. */
  deployments: z.number().int().min(0),
  promotions: z.number().int().min(0),
  refusals: z.number().int().min(0),
});

export const NotificationSchema = z.discriminatedUnion('kind', [
  DeploymentNotificationSchema,
  PromotionNotificationSchema,
  CandidateRefusedNotificationSchema,
  RiskOverlayNotificationSchema,
  ModelUnavailableNotificationSchema,
  DataOutageNotificationSchema,
  ServiceStalledNotificationSchema,
  ServiceRestartedNotificationSchema,
  DailySummaryNotificationSchema,
]);
export type Notification = z.infer<typeof NotificationSchema>;
export type NotificationOf<K extends NotificationKind> = Extract<Notification, { kind: K }>;

/**
 * Sent by the notifier itself, not by callers: the rate limit held back `count` notifications of a
 * webhook (by kind), summarised in one message once the limit allows.
 */
export interface SuppressedNotice {
  readonly kind: 'notifications-suppressed';
  readonly severity: 'warning';
  readonly ts: number;
  readonly count: number;
  readonly byKind: Readonly<Partial<Record<NotificationKind, number>>>;
}

/** What a webhook is sent: a caller's notification, or the notifier's own suppression notice. */
export type OutgoingEvent = Notification | SuppressedNotice;

// Public API of notifications: events, builders, formatters, configuration and the notifier.
export {
  buildDailySummary,
  countDecisions,
  type DailySummaryInput,
  isSummaryDue,
  lastScheduledSummaryMs,
} from './daily-summary.js';
export { DISCORD_LIMITS, type DiscordPayload, formatDiscord } from './discord-format.js';
export { historyNotification } from './history-mapping.js';
export { formatJson, type JsonPayload } from './json-format.js';
export { describeEvent, type Message, type MessageField } from './message.js';
export { type ModelUnavailableInput, modelUnavailableNotification } from './model-events.js';
export {
  NOTIFICATION_KINDS,
  type Notification,
  type NotificationKind,
  NotificationKindSchema,
  type NotificationOf,
  NotificationSchema,
  type OutgoingEvent,
  type OverlayName,
  type Severity,
  type SuppressedNotice,
} from './notification.js';
export {
  createNotifier,
  DISABLED_NOTIFIER,
  type Notifier,
  type NotifierDeps,
  type NotifierOptions,
  type NotifierStats,
  type NotifierTimers,
  notifierFromConfig,
} from './notifier.js';
export {
  DEFAULT_NOTIFICATIONS_CONFIG,
  type NotificationsConfig,
  type NotificationsConfigInput,
  NotificationsConfigSchema,
  WEBHOOK_ENV_VARS,
  type WebhookConfig,
  WebhookConfigSchema,
} from './notify-config.js';
export {
  createOverlayRecorder,
  type OverlayNotificationInput,
  type OverlayRecorder,
  type OverlayTrigger,
  overlayNotification,
} from './overlay.js';
export { formatPayload, type WebhookKind } from './payload.js';
export type { FetchLike } from './post-webhook.js';
export { type Env, type ResolvedWebhook, resolveWebhooks } from './resolve-webhooks.js';
export { redactUrl, SecretUrl } from './secret-url.js';
export {
  type DataOutageInput,
  dataOutageNotification,
  type ServiceRestartedInput,
  type ServiceStalledInput,
  serviceRestartedNotification,
  serviceStalledNotification,
} from './service-events.js';
export { formatSlack, SLACK_LIMITS, type SlackPayload } from './slack-format.js';
export type { WebhookStats } from './webhook-channel.js';

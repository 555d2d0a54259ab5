// The `notifications` section of hybrid.config.json (zod): webhooks, timeout, rate limit, dedupe, daily summary.
import { z } from 'zod';
import { NotificationKindSchema } from './notification.js';

/** Environment variables that add a webhook without any configuration, by kind. */
export const WEBHOOK_ENV_VARS = {
  discord: 'HYBRID_TRADER_DISCORD_WEBHOOK_URL',
  slack: 'HYBRID_TRADER_SLACK_WEBHOOK_URL',
  json: 'HYBRID_TRADER_WEBHOOK_URL',
} as const;

export const WebhookKindSchema = z.enum(['discord', 'slack', 'json']);

/** Whether `value` is an absolute http(s) URL. Never put the value itself in a message: it is a secret. */
export function isWebhookUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

export const WebhookConfigSchema = z
  .strictObject({
    kind: WebhookKindSchema,
    /** The webhook URL (a secret: prefer urlEnv so it stays out of the file). */
    url: z
      .string()
      .refine(isWebhookUrl, { message: 'must be an absolute http(s) URL (value not shown: it is a secret)' })
      .optional(),
    /** Name of an environment variable holding the URL. */
    urlEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' })
      .optional(),
    /** A name for logs and status, e.g. "ops-discord" (default: the kind). */
    name: z.string().min(1).max(40).optional(),
    /** Kinds sent to this webhook (default: all). */
    events: z.array(NotificationKindSchema).min(1).optional(),
  })
  .refine((w) => (w.url === undefined) !== (w.urlEnv === undefined), {
    message: 'give exactly one of "url" and "urlEnv"',
  });
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

export const DailySummaryConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** UTC hour (0-23) at which the summary of the last 24 h is sent. */
  hourUtc: z.number().int().min(0).max(23).default(8),
});

export const NotificationsConfigSchema = z.strictObject({
  /** false: nothing is sent, whatever the config or the environment says. */
  enabled: z.boolean().default(true),
  /** Webhooks from the config; HYBRID_TRADER_*_WEBHOOK_URL add theirs to these. */
  webhooks: z.array(WebhookConfigSchema).default([]),
  /** Per request (each attempt), ms. A webhook that does not answer in time counts as failed. */
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  /** Extra attempts after a 429, a 5xx or a network error (not after a timeout). */
  retries: z.number().int().min(0).max(3).default(2),
  /** At most this many messages per webhook in any 60 s; the excess is summarised in one message later. */
  maxPerMinute: z.number().int().min(1).max(600).default(10),
  /** A notification whose dedupe key was sent less than this many minutes ago is dropped (0: off). */
  dedupeWindowMinutes: z
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  dailySummary: DailySummaryConfigSchema.default({ enabled: false, hourUtc: 8 }),
});
export type NotificationsConfig = z.infer<typeof NotificationsConfigSchema>;
export type NotificationsConfigInput = z.input<typeof NotificationsConfigSchema>;

/** The defaults: enabled, no configured webhook (only the environment's), 5 s timeout, 10/min, 60 min dedupe. */
export const DEFAULT_NOTIFICATIONS_CONFIG: NotificationsConfig = NotificationsConfigSchema.parse({});

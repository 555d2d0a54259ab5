// The webhooks to send to: the config's (URL inline or from a named variable) plus the environment's.
import { ConfigError } from '../../core/errors.js';
import type { NotificationKind } from './notification.js';
import { isWebhookUrl, type NotificationsConfig, WEBHOOK_ENV_VARS } from './notify-config.js';
import type { WebhookKind } from './payload.js';
import { SecretUrl } from './secret-url.js';

/** A webhook ready to use. Safe to log as a whole: the URL prints redacted. */
export interface ResolvedWebhook {
  readonly kind: WebhookKind;
  readonly url: SecretUrl;
  /** For logs, errors and status: "discord webhook #1 (discord.com/…)". Never holds the path. */
  readonly label: string;
  /** Kinds it receives; null = all. */
  readonly events: ReadonlySet<NotificationKind> | null;
  /** Where the URL came from: "config" (inline), or the environment variable's name. */
  readonly origin: string;
}

/** The environment, as the config module reads it (only it touches process.env). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The configured webhooks in config order, then one per HYBRID_TRADER_*_WEBHOOK_URL that is set and not
 * already configured (Discord, Slack, JSON). None when `enabled` is false. Throws ConfigError when a
 * `urlEnv` variable is unset or empty, or a URL is not http(s); messages name the field or variable,
 * never the value.
 */
export function resolveWebhooks(config: NotificationsConfig, env: Env): ResolvedWebhook[] {
  if (!config.enabled) return [];
  const out: ResolvedWebhook[] = [];
  const add = (
    kind: WebhookKind,
    url: string,
    origin: string,
    name?: string,
    events?: NotificationKind[],
  ) => {
    if (out.some((w) => w.url.reveal() === url && w.kind === kind)) return;
    const secret = new SecretUrl(url);
    out.push({
      kind,
      url: secret,
      label: `${name ?? kind} webhook #${out.length + 1} (${secret.redacted})`,
      events: events ? new Set(events) : null,
      origin,
    });
  };
  config.webhooks.forEach((w, i) => {
    const field = `notifications.webhooks[${i}]`;
    let url = w.url;
    if (w.urlEnv !== undefined) {
      url = env[w.urlEnv];
      if (url === undefined || url.trim() === '')
        throw new ConfigError(
          'NOTIFY_WEBHOOK_ENV_MISSING',
          `${field}.urlEnv: environment variable ${w.urlEnv} is not set; export it or remove the webhook`,
          { field, variable: w.urlEnv },
        );
      url = url.trim();
    }
    if (url === undefined || !isWebhookUrl(url))
      throw new ConfigError(
        'NOTIFY_WEBHOOK_URL_INVALID',
        `${field}: the ${w.urlEnv ? `URL in ${w.urlEnv}` : 'url'} must be an absolute http(s) URL (value not shown: it is a secret)`,
        { field },
      );
    add(w.kind, url, w.urlEnv ?? 'config', w.name, w.events);
  });
  for (const [kind, variable] of Object.entries(WEBHOOK_ENV_VARS) as [WebhookKind, string][]) {
    const url = env[variable]?.trim();
    if (url === undefined || url === '') continue;
    if (!isWebhookUrl(url))
      throw new ConfigError(
        'NOTIFY_WEBHOOK_URL_INVALID',
        `${variable} must be an absolute http(s) URL (value not shown: it is a secret)`,
        { variable },
      );
    add(kind, url, variable);
  }
  return out;
}

// One event to the request body of one kind of webhook.
import { formatDiscord } from './discord-format.js';
import { formatJson } from './json-format.js';
import { describeEvent } from './message.js';
import type { OutgoingEvent } from './notification.js';
import { formatSlack } from './slack-format.js';

export type WebhookKind = 'discord' | 'slack' | 'json';

/** The JSON body to POST to a webhook of `kind`. Pure. */
export function formatPayload(kind: WebhookKind, event: OutgoingEvent): unknown {
  if (kind === 'json') return formatJson(event);
  const message = describeEvent(event);
  return kind === 'discord' ? formatDiscord(message) : formatSlack(message);
}

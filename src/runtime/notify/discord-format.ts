// Discord webhook payload: the title as `content` (what a push notification shows), details in one embed.
import { colorOf, KIND_LABELS } from './channel-style.js';
import type { Message } from './message.js';
import { escapeDiscord, truncate } from './text-limits.js';

/** Discord's documented limits for a webhook message and its embeds. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of title, description, field names and values, and footer over all embeds. */
  embedTotal: 6000,
} as const;

export interface DiscordEmbed {
  title: string;
  description?: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  /** ISO time of the event. */
  timestamp: string;
  footer: { text: string };
}

export interface DiscordPayload {
  content: string;
  embeds: DiscordEmbed[];
  /** No @everyone, role or user pings, whatever a reason string contains. */
  allowed_mentions: { parse: [] };
}

/** The message for a Discord webhook, escaped and cut to Discord's limits. */
export function formatDiscord(m: Message): DiscordPayload {
  const fields = m.fields.slice(0, DISCORD_LIMITS.fields).map((f) => ({
    name: truncate(f.name, DISCORD_LIMITS.fieldName),
    value: truncate(escapeDiscord(f.value), DISCORD_LIMITS.fieldValue) || '-',
    // Multi-line values read better on a row of their own.
    inline: !f.value.includes('\n'),
  }));
  const embed: DiscordEmbed = {
    title: KIND_LABELS[m.kind],
    color: colorOf(m.kind, m.severity),
    fields,
    timestamp: new Date(m.ts).toISOString(),
    footer: { text: `hybrid-trader · ${m.severity}` },
  };
  const size = () =>
    embed.title.length +
    embed.footer.text.length +
    fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  // The description gets what the fields leave of the total; fields go (last first) only if that is not enough.
  while (size() > DISCORD_LIMITS.embedTotal) fields.pop();
  const used = size();
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - used);
  const description = truncate(escapeDiscord(m.text), room);
  if (description !== '') embed.description = description;
  return {
    content: truncate(escapeDiscord(m.title), DISCORD_LIMITS.content),
    embeds: [embed],
    allowed_mentions: { parse: [] },
  };
}

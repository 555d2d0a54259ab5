// Slack incoming-webhook payload: `text` (the fallback a push notification shows) and Block Kit blocks.
import { KIND_LABELS } from './channel-style.js';
import { formatTime } from './format-values.js';
import type { Message } from './message.js';
import { escapeSlack, truncate } from './text-limits.js';

/** Slack's documented limits for the blocks used here. */
export const SLACK_LIMITS = {
  text: 4000,
  header: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextText: 2000,
} as const;

interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
}

export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject }
  | { type: 'section'; fields: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

const ICONS = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' } as const;

/** The message for a Slack webhook, escaped and cut to Slack's limits. */
export function formatSlack(m: Message): SlackPayload {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(m.title, SLACK_LIMITS.header) } },
  ];
  if (m.text !== '')
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(escapeSlack(m.text), SLACK_LIMITS.sectionText) },
    });
  for (let i = 0; i < m.fields.length; i += SLACK_LIMITS.fieldsPerSection)
    blocks.push({
      type: 'section',
      fields: m.fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => ({
        type: 'mrkdwn',
        text: truncate(`*${escapeSlack(f.name)}*\n${escapeSlack(f.value)}`, SLACK_LIMITS.fieldText),
      })),
    });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${ICONS[m.severity]} ${m.severity} · ${KIND_LABELS[m.kind]} · ${formatTime(m.ts)} · hybrid-trader`,
      },
    ],
  });
  return { text: truncate(escapeSlack(m.title), SLACK_LIMITS.text), blocks };
}

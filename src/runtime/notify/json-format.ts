// Generic JSON webhook payload: the event's own fields plus a readable title and text.
import { describeEvent } from './message.js';
import type { OutgoingEvent } from './notification.js';

export type JsonPayload = OutgoingEvent & {
  readonly app: 'hybrid-trader';
  readonly title: string;
  readonly text: string;
  /** ISO form of `ts`. */
  readonly at: string;
};

/** `{kind, severity, title, text, ...event, at, app}`: every field of the event, for machines. */
export function formatJson(event: OutgoingEvent): JsonPayload {
  const { title, text } = describeEvent(event);
  const { kind, severity, ...fields } = event;
  // Kind and severity first, for people reading the raw body; the cast restores the union lost by the rest.
  return {
    kind,
    severity,
    title,
    text,
    ...fields,
    at: new Date(event.ts).toISOString(),
    app: 'hybrid-trader',
  } as JsonPayload;
}

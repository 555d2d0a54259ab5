// Cutting and escaping text for channels with length limits and markup.

/** `s` cut to at most `max` UTF-16 units with a trailing "…"; never splits a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/**
 * Discord markdown: a backslash before each character that would format (a model id "_x_" stays literal),
 * and before a quote, header or list marker at the start of a line.
 */
export function escapeDiscord(s: string): string {
  return s.replace(/[\\*_~`|]/g, '\\$&').replace(/^(\s*)(>|#|- )/gm, '$1\\$2');
}

/** Slack mrkdwn: only &, < and > are control characters (links, mentions). */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

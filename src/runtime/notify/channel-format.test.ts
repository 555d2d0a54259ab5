import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, formatDiscord } from './discord-format.js';
import { formatJson } from './json-format.js';
import { describeEvent, type Message } from './message.js';
import { NOTIFICATION_KINDS } from './notification.js';
import { formatPayload } from './payload.js';
import { formatSlack, SLACK_LIMITS } from './slack-format.js';
import { SAMPLE_EVENTS, SAMPLE_LIST } from './testing/sample-events.js';

describe('Discord payload', () => {
  it('puts the title in content and the details in one embed (golden)', () => {
    expect(formatDiscord(describeEvent(SAMPLE_EVENTS.deployment))).toEqual({
      content: 'Deployed s1/42 (training score 1.23 > 0.98)',
      embeds: [
        {
          title: 'Deployment',
          description: 'training score 1.2345 beats deployed 0.9812 + margin 0',
          color: 0x2ea043,
          fields: [
            { name: 'Model', value: 's1/42', inline: true },
            { name: 'Training score', value: '1.23', inline: true },
            { name: 'Source', value: 'training', inline: true },
            { name: 'Replaces', value: 's1/17', inline: true },
            { name: 'Score beaten', value: '0.98', inline: true },
            { name: 'Margin', value: '0.00', inline: true },
          ],
          timestamp: '2024-03-02T08:00:00.000Z',
          footer: { text: 'hybrid-trader · info' },
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('escapes markdown and never pings', () => {
    const p = formatDiscord(
      describeEvent({ ...SAMPLE_EVENTS['service-restarted'], reason: '@everyone *boom* in `x_y`' }),
    );
    expect(p.embeds[0]!.description).toBe('@everyone \\*boom\\* in \\`x\\_y\\`');
    expect(p.allowed_mentions).toEqual({ parse: [] });
  });

  it('stays within Discord limits whatever the text and fields', () => {
    const text = fc.string({ maxLength: 9000, unit: 'grapheme' });
    fc.assert(
      fc.property(
        text,
        text,
        fc.array(fc.record({ name: fc.string({ maxLength: 400 }), value: text }), { maxLength: 40 }),
        (title, body, fields) => {
          const m: Message = { kind: 'deployment', severity: 'info', ts: 0, title, text: body, fields };
          const p = formatDiscord(m);
          const e = p.embeds[0]!;
          expect(p.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
          expect(e.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
          expect((e.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
          for (const f of e.fields) {
            expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
            expect(f.value.length).toBeGreaterThan(0);
            expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
          }
          const total =
            e.title.length +
            (e.description ?? '').length +
            e.footer.text.length +
            e.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
          expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
          // Cutting never leaves half of a surrogate pair (JSON with a lone surrogate is refused by some APIs).
          expect(JSON.stringify(p)).not.toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Slack payload', () => {
  it('has the title as text and header, the reason, the fields and a context line (golden)', () => {
    expect(formatSlack(describeEvent(SAMPLE_EVENTS['candidate-refused']))).toEqual({
      text: 'Refused promotion candidate s1/31',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Refused promotion candidate s1/31' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'no longer qualifies at the re-check: minExcessPct 1.5 vs 2' },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Model*\ns1/31' },
            { type: 'mrkdwn', text: '*Excess return*\n+1.50 pp' },
            { type: 'mrkdwn', text: '*Hours in arena*\n169 h' },
            { type: 'mrkdwn', text: '*Sharpe*\n0.80' },
            { type: 'mrkdwn', text: '*Failed rules*\nminExcessPct 1.50 vs 2' },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: ':warning: warning · Refused candidate · 2024-03-02 08:00 UTC · hybrid-trader',
            },
          ],
        },
      ],
    });
  });

  it('escapes &, < and > (no injected links or mentions) and splits fields by ten', () => {
    const m: Message = {
      kind: 'service-restarted',
      severity: 'critical',
      ts: 0,
      title: 'a <b> & c',
      text: '<!channel> <https://x|y>',
      fields: Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(5000) })),
    };
    const p = formatSlack(m);
    expect(p.text).toBe('a &lt;b&gt; &amp; c');
    expect(p.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'a <b> & c' } });
    expect(p.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '&lt;!channel&gt; &lt;https://x|y&gt;' },
    });
    const sections = p.blocks.filter((b) => 'fields' in b);
    expect(sections.map((b) => ('fields' in b ? b.fields.length : 0))).toEqual([10, 2]);
    for (const b of sections)
      if ('fields' in b)
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
  });
});

describe('generic JSON payload', () => {
  it('is {kind, severity, title, text, ...event} with an ISO time (golden)', () => {
    const p = formatJson(SAMPLE_EVENTS.promotion);
    expect(p).toEqual({
      ...SAMPLE_EVENTS.promotion,
      title: 'Promoted s1/30 (+3.10 pp over paper in 170 h, Sharpe 1.20)',
      text: 'arena: 3.10 pp over the paper trader in 170 h, Sharpe 1.20',
      at: '2024-03-02T08:00:00.000Z',
      app: 'hybrid-trader',
    });
    expect(Object.keys(p).slice(0, 4)).toEqual(['kind', 'severity', 'title', 'text']);
  });
});

describe('every kind on every channel', () => {
  it('formats to the stored golden payloads', () => {
    const all = Object.fromEntries(
      SAMPLE_LIST.map((e) => [
        e.kind,
        {
          discord: formatPayload('discord', e),
          slack: formatPayload('slack', e),
          json: formatPayload('json', e),
        },
      ]),
    );
    expect(Object.keys(all)).toEqual([...NOTIFICATION_KINDS]);
    expect(all).toMatchSnapshot();
  });
});

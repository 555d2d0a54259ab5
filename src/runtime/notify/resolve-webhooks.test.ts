import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { DEFAULT_NOTIFICATIONS_CONFIG, NotificationsConfigSchema } from './notify-config.js';
import { resolveWebhooks } from './resolve-webhooks.js';
import { redactUrl, SecretUrl } from './secret-url.js';

const TOKEN = 'AbCdEf-SeCrEt-ToKeN';
const DISCORD = `https://discord.com/api/webhooks/123456/${TOKEN}`;
const SLACK = `https://hooks.slack.com/services/T000/B000/${TOKEN}`;
const JSON_HOOK = `https://user:pass@example.org:8443/hook?token=${TOKEN}`;

const config = (input: unknown) => NotificationsConfigSchema.parse(input);

describe('NotificationsConfigSchema', () => {
  it('has documented defaults', () => {
    expect(DEFAULT_NOTIFICATIONS_CONFIG).toEqual({
      enabled: true,
      webhooks: [],
      timeoutMs: 5000,
      retries: 2,
      maxPerMinute: 10,
      dedupeWindowMinutes: 60,
      dailySummary: { enabled: false, hourUtc: 8 },
    });
  });

  it('refuses a webhook with both or neither of url and urlEnv, unknown keys and bad URLs, without echoing them', () => {
    const bad = [
      { webhooks: [{ kind: 'discord' }] },
      { webhooks: [{ kind: 'discord', url: DISCORD, urlEnv: 'X' }] },
      { webhooks: [{ kind: 'teams', url: DISCORD }] },
      { webhooks: [{ kind: 'json', url: `ftp://example.org/${TOKEN}` }] },
      { webhooks: [{ kind: 'json', url: `not a url ${TOKEN}` }] },
      { timeoutMs: 10 },
      { surprise: true },
    ];
    for (const input of bad) {
      const r = NotificationsConfigSchema.safeParse(input);
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).not.toContain(TOKEN);
      expect(r.error?.message).not.toContain(TOKEN);
    }
  });
});

describe('resolveWebhooks', () => {
  it('takes the environment alone, with no config', () => {
    const hooks = resolveWebhooks(DEFAULT_NOTIFICATIONS_CONFIG, {
      HYBRID_TRADER_DISCORD_WEBHOOK_URL: DISCORD,
      HYBRID_TRADER_SLACK_WEBHOOK_URL: ` ${SLACK} `,
      HYBRID_TRADER_WEBHOOK_URL: '',
    });
    expect(hooks.map((h) => [h.kind, h.label, h.origin, h.url.reveal()])).toEqual([
      ['discord', 'discord webhook #1 (discord.com/…)', 'HYBRID_TRADER_DISCORD_WEBHOOK_URL', DISCORD],
      ['slack', 'slack webhook #2 (hooks.slack.com/…)', 'HYBRID_TRADER_SLACK_WEBHOOK_URL', SLACK],
    ]);
    expect(hooks[0]!.events).toBeNull();
  });

  it('takes configured webhooks first (inline or from a named variable), then new env ones', () => {
    const c = config({
      webhooks: [
        { kind: 'json', url: JSON_HOOK, name: 'ops', events: ['promotion', 'service-stalled'] },
        { kind: 'discord', urlEnv: 'MY_DISCORD' },
      ],
    });
    const hooks = resolveWebhooks(c, { MY_DISCORD: DISCORD, HYBRID_TRADER_DISCORD_WEBHOOK_URL: DISCORD });
    expect(hooks.map((h) => h.label)).toEqual([
      'ops webhook #1 (example.org:8443/…)',
      'discord webhook #2 (discord.com/…)',
    ]);
    expect([...(hooks[0]!.events ?? [])]).toEqual(['promotion', 'service-stalled']);
    expect(hooks[1]!.origin).toBe('MY_DISCORD');
  });

  it('sends nothing when disabled, whatever the environment says', () => {
    expect(resolveWebhooks(config({ enabled: false }), { HYBRID_TRADER_WEBHOOK_URL: JSON_HOOK })).toEqual([]);
  });

  it('refuses a missing variable or a bad URL with a ConfigError that names the field, not the value', () => {
    const missing = () => resolveWebhooks(config({ webhooks: [{ kind: 'slack', urlEnv: 'NOPE' }] }), {});
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow('notifications.webhooks[0].urlEnv: environment variable NOPE is not set');
    const cases = [
      () => resolveWebhooks(config({ webhooks: [{ kind: 'slack', urlEnv: 'BAD' }] }), { BAD: `x/${TOKEN}` }),
      () => resolveWebhooks(DEFAULT_NOTIFICATIONS_CONFIG, { HYBRID_TRADER_WEBHOOK_URL: `file:///${TOKEN}` }),
    ];
    for (const run of cases) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const e = error as ConfigError;
      expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain(TOKEN);
    }
  });

  it('never shows the URL when a resolved webhook is printed, serialised or inspected', () => {
    const hooks = resolveWebhooks(DEFAULT_NOTIFICATIONS_CONFIG, {
      HYBRID_TRADER_DISCORD_WEBHOOK_URL: DISCORD,
      HYBRID_TRADER_WEBHOOK_URL: JSON_HOOK,
    });
    const shown = [
      JSON.stringify(hooks),
      inspect(hooks, { depth: 5 }),
      String(hooks[0]!.url),
      `${hooks[1]!.url}`,
    ];
    for (const s of shown) {
      expect(s).not.toContain(TOKEN);
      expect(s).not.toContain('pass');
      expect(s).not.toContain('/api/webhooks');
    }
    expect(JSON.stringify(hooks[0])).toContain('"url":"discord.com/…"');
  });
});

describe('redaction', () => {
  it('keeps the host only', () => {
    expect(redactUrl(DISCORD)).toBe('discord.com/…');
    expect(redactUrl('http://127.0.0.1:9/x')).toBe('127.0.0.1:9/…');
    expect(redactUrl(`garbage ${TOKEN}`)).toBe('(invalid URL)');
  });

  it('scrubs the URL and its path from foreign messages', () => {
    const s = new SecretUrl(JSON_HOOK);
    expect(s.scrub(`Failed to parse URL from ${JSON_HOOK}`)).toBe(
      'Failed to parse URL from example.org:8443/…',
    );
    expect(s.scrub(`POST /hook?token=${TOKEN} failed`)).toBe('POST /… failed');
    expect(s.scrub(`token=${TOKEN}`)).not.toContain(TOKEN);
  });
});

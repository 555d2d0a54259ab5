import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { allowHosts, bearerToken, hostName, requireToken, tokensMatch } from './auth.js';

describe('bearer token', () => {
  it('matches only the exact token, whatever the lengths', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abd', 'abc')).toBe(false);
    expect(tokensMatch('ab', 'abc')).toBe(false);
    expect(tokensMatch('', 'abc')).toBe(false);
    expect(tokensMatch('abc'.repeat(1000), 'abc')).toBe(false);
  });

  it('reads only the Bearer scheme', () => {
    expect(bearerToken('Bearer t0k3n')).toBe('t0k3n');
    expect(bearerToken('bearer t0k3n')).toBe('t0k3n');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('answers 403 without a configured token, 401 with a wrong one, and passes the right one', async () => {
    const app = (token: string | undefined) =>
      new Hono().post('/x', requireToken(token), (c) => c.text('done'));
    expect((await app(undefined).request('/x', { method: 'POST' })).status).toBe(403);
    const wrong = await app('s3cret').request('/x', {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const right = await app('s3cret').request('/x', {
      method: 'POST',
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(await right.text()).toBe('done');
  });
});

describe('host guard', () => {
  it('reads the host name of a Host header, IPv6 included', () => {
    expect(hostName('127.0.0.1:8787')).toBe('127.0.0.1');
    expect(hostName('LOCALHOST')).toBe('localhost');
    expect(hostName('[::1]:8787')).toBe('::1');
    expect(hostName('evil.example:80')).toBe('evil.example');
    expect(hostName('')).toBeNull();
    expect(hostName('a:b:c')).toBeNull();
  });

  it('refuses other hosts', async () => {
    const app = new Hono().use('*', allowHosts(['localhost'])).get('/', (c) => c.text('ok'));
    expect((await app.request('/', { headers: { host: 'localhost:1' } })).status).toBe(200);
    expect((await app.request('/', { headers: { host: 'rebound.example' } })).status).toBe(403);
    expect((await app.request('/')).status).toBe(403); // no Host header at all
  });
});

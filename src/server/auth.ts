// Guards: the bearer token of mutating endpoints (constant-time compare) and the Host header check.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { sendError } from './respond.js';

/** The environment variable holding the API token (read by the CLI, passed in as an option). */
export const API_TOKEN_ENV = 'HYBRID_TRADER_API_TOKEN';

// Hashing first gives equal-length buffers, so neither the content nor the length of the token leaks
// through timing.
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether `presented` equals `expected`, in time independent of where they differ. */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * Lets a request through only with the configured token: 403 when no token is configured (mutations
 * disabled), 401 for a missing or wrong one. Runs before the body is read, so a refused request changes
 * nothing and costs nothing.
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token) return sendError(c, 403, `mutations disabled: set ${API_TOKEN_ENV}`);
    const presented = bearerToken(c.req.header('authorization'));
    if (presented === null || !tokensMatch(presented, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="hybrid-trader"');
      return sendError(c, 401, 'missing or wrong bearer token');
    }
    await next();
  };
}

/** The host name of a Host header value, without port, lower case (IPv6 without its brackets). */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return match ? match[1]!.toLowerCase() : null;
}

/** Host names a loopback-bound server answers to. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/**
 * Refuses (403) a request whose Host header names another host: a web page that rebinds its own DNS name
 * to 127.0.0.1 then cannot read the API from the browser.
 */
export function allowHosts(hosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set(hosts.map((h) => h.toLowerCase()));
  return async (c, next) => {
    const name = hostName(c.req.header('host'));
    if (name === null || !allowed.has(name)) return sendError(c, 403, 'host not allowed');
    await next();
  };
}

// Webhook URLs are secrets (the path holds the token): a holder that only ever prints a redacted form.
import { inspect } from 'node:util';

/** "discord.com/…": the host (and port) only; "(invalid URL)" when it does not parse. */
export function redactUrl(url: string): string {
  return URL.canParse(url) ? `${new URL(url).host}/…` : '(invalid URL)';
}

/**
 * A URL that prints redacted everywhere (String(), JSON.stringify, console.log / util.inspect), so a
 * stray log of a config object or an error context cannot leak the token. `reveal()` is for fetch only.
 */
export class SecretUrl {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The real URL: pass it to fetch and nowhere else. */
  reveal(): string {
    return this.#value;
  }

  /** What may be shown: host only. */
  get redacted(): string {
    return redactUrl(this.#value);
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): string {
    return this.redacted;
  }

  [inspect.custom](): string {
    return `SecretUrl(${this.redacted})`;
  }

  /**
   * `text` with every occurrence of the URL, its path and query, and any path segment, query value or
   * credential of 6+ characters removed: for messages built by other code (fetch errors can quote the URL).
   */
  scrub(text: string): string {
    let out = text.split(this.#value).join(this.redacted);
    if (URL.canParse(this.#value)) {
      const u = new URL(this.#value);
      for (const part of [u.pathname + u.search, u.pathname, u.search])
        if (part.length > 1) out = out.split(part).join('/…');
      // Then any piece long enough to be a token: path segments, query values, credentials.
      const pieces = [...u.pathname.split('/'), ...u.searchParams.values(), u.username, u.password];
      for (const piece of pieces) if (piece.length >= 6) out = out.split(piece).join('…');
    }
    return out;
  }
}

// The structured logger every service, feed and runner writes through (pino-compatible JSON lines).

/** Writes structured log lines for one service: a short message plus fields. */
export interface ServiceLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops every line (tests, commands that run a service quietly). */
export const SILENT_LOGGER: ServiceLogger = { info() {}, warn() {}, error() {} };

// The error hierarchy: one base with a stable code and a context object; subclasses say what to do.

/** Base of every error hybrid-trader raises on purpose. `code` is stable and safe to match on. */
export class HybridTraderError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** Bad configuration or CLI usage: fix it and run again (exit code 2). */
export class ConfigError extends HybridTraderError {}

/** Input data that cannot be used as it is (malformed file, invalid bar): refuse it, name the cause. */
export class DataError extends HybridTraderError {}

/** A model that cannot be used for this market (shape, symbols, features) or produced bad output. */
export class ModelError extends HybridTraderError {}

/** A state file that fails validation: never reset silently. */
export class StateError extends HybridTraderError {}

/** A broken internal invariant: a bug. Crash and let the supervisor restart. */
export class InvariantError extends HybridTraderError {}

/** Exit code for an error, decided in one place. */
export function exitCodeFor(error: unknown): number {
  // A wrapper (e.g. a service failure) keeps the exit code of what it wraps.
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof ConfigError) return 2;
  return 1;
}

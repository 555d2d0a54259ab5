// Errors to HTTP statuses, in one place: what the client may read, and what stays in the server's log.
import { ConfigError, DataError, HybridTraderError, StateError } from '../core/errors.js';

export interface HttpFailure {
  readonly status: 400 | 500 | 503;
  /** Safe for the client: our own errors' messages, never a stack or an unexpected error's text. */
  readonly message: string;
  /** Whether the server should log it (a bug or an unexpected failure). */
  readonly log: boolean;
}

/** How an error thrown while answering a request is reported to the client. */
export function httpFailure(error: unknown): HttpFailure {
  if (error instanceof ConfigError || error instanceof DataError)
    return { status: 400, message: error.message, log: false };
  // A state file that fails validation names the file and field: the operator needs exactly that.
  if (error instanceof StateError) return { status: 503, message: error.message, log: true };
  if (error instanceof HybridTraderError && error.code === 'STUDY_STORAGE_BUSY')
    return { status: 503, message: error.message, log: true };
  return { status: 500, message: 'internal error (see the server log)', log: true };
}

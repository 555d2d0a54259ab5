// What a window's worker thread and the evaluation's main thread say to each other, and the errors it carries.
import { ConfigError, DataError, HybridTraderError, ModelError, StateError } from '../../core/errors.js';
import type { MarketData } from '../../market/market-data.js';
import { loadMarketSource } from '../../market/source.js';
import type { WindowProgress, WindowResult, WindowTask } from './window-run.js';

/** An error as it crosses the thread boundary. */
export interface PlainError {
  readonly name: string;
  readonly code: string | null;
  readonly message: string;
  readonly stack: string | null;
}

export type WindowMessage =
  | { readonly type: 'progress'; readonly progress: WindowProgress }
  | { readonly type: 'result'; readonly result: WindowResult }
  | { readonly type: 'error'; readonly error: PlainError };

const CLASSES = { ConfigError, DataError, ModelError, StateError } as const;

/** The error again, of its class (so its exit code is kept), prefixed with the window it came from. */
export function revive(error: PlainError, windowId: string): Error {
  const message = `window ${windowId}: ${error.message}`;
  if (error.code === null) {
    const plain = new Error(message);
    if (error.stack) plain.stack = error.stack;
    return plain;
  }
  const Class = CLASSES[error.name as keyof typeof CLASSES] ?? HybridTraderError;
  return new Class(error.code, message, { window: windowId });
}

/** The bars a window runs on: the whole --data (bars before the window are the replays' warm-up). */
export function loadWindowHistory(task: WindowTask): MarketData {
  return loadMarketSource(task.train.data, {
    onDuplicate: task.train.onDuplicate,
    cacheDir: task.train.dataCacheDir ?? undefined,
    bounds: task.train.dataBounds ?? undefined,
  });
}

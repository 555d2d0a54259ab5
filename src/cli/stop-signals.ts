// SIGINT and SIGTERM while a long command runs: each one is counted and handed to the command, which stops its work.

/**
 * Awaits `done` while SIGINT and SIGTERM call `onSignal` with the number of signals received so far (1 for
 * the first, so a command can stop gently first and harder on the next); the handlers are removed once
 * `done` settles, whether it resolves or rejects.
 */
export async function untilDone<T>(done: Promise<T>, onSignal: (count: number) => void): Promise<T> {
  let count = 0;
  const handler = () => onSignal(++count);
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    return await done;
  } finally {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  }
}

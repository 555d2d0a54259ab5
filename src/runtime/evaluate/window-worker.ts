// Worker thread of the rolling evaluation: runs one window and posts its progress and result back.
import { parentPort, workerData } from 'node:worker_threads';
import { HybridTraderError } from '../../core/errors.js';
import { configureDurability } from '../../state/index.js';
import { loadWindowHistory, type WindowMessage } from './window-messages.js';
import { runWindow, type WindowTask } from './window-run.js';

const port = parentPort!;
const send = (message: WindowMessage) => port.postMessage(message);
const task = workerData as WindowTask;
try {
  // a replay is run again from nothing when interrupted: fsync (power loss) is not worth its cost here
  configureDurability({ fsync: false });
  const result = await runWindow(task, loadWindowHistory(task), (progress) =>
    send({ type: 'progress', progress }),
  );
  send({ type: 'result', result });
} catch (error) {
  send({
    type: 'error',
    error: {
      name: error instanceof Error ? error.name : 'Error',
      code: error instanceof HybridTraderError ? error.code : null,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? (error.stack ?? null) : null,
    },
  });
}

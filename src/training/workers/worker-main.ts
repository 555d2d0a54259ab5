// Entry of a train worker thread: runs one trial per "run" message until told to stop.
import { parentPort, workerData } from 'node:worker_threads';
import { HybridTraderError } from '../../core/errors.js';
import { configureWorkerFaults, type WorkerFaults } from '../../state/index.js';
import { runTrial } from '../run-trial.js';
import type { FromWorker, ToWorker } from './messages.js';
import { openStudyJob } from './study-job.js';
import { TrainOptionsSchema } from './train-options.js';
import { WORKER_TRIAL_ATTR } from './worker-registry.js';

const port = parentPort;
if (!port) throw new Error('worker-main must run in a worker thread');
const send = (message: FromWorker) => port.postMessage(message);
/** An error as the train command prints it: `error [CODE]: message` for a named one. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof HybridTraderError && typeof code === 'string'
    ? `error [${code}]: ${message}`
    : message;
}

try {
  const { options, packageVersion, faults } = workerData as {
    options: unknown;
    packageVersion: string;
    faults?: WorkerFaults | null;
  };
  configureWorkerFaults(faults); // the fault-injection test's plan and trace, if any
  const parsed = TrainOptionsSchema.parse(options);
  const job = await openStudyJob(parsed, packageVersion);
  // Which worker runs the trial, for status and for whoever finds it stale.
  const systemAttrs = parsed.workerId === null ? {} : { [WORKER_TRIAL_ATTR]: parsed.workerId };
  port.on('message', async (message: ToWorker) => {
    if (message.type === 'stop') {
      await job.artifacts?.close();
      await job.storage.close();
      port.close();
      return;
    }
    try {
      // The first heartbeat is written with the trial: if this process dies now, the stale-trial check
      // can still fail the trial.
      const { trialId, number } = await job.storage.createTrial(job.study.studyId, {
        heartbeat: true,
        systemAttrs,
      });
      send({ type: 'started', trialId, number });
      const outcome = await runTrial(job, trialId, number, undefined, () =>
        send({ type: 'running', trialId }),
      );
      send({ type: 'finished', outcome });
    } catch (error) {
      // The storage could not create a trial even after its retries: stop this study run, loudly.
      send({ type: 'failed-to-start', error: describe(error) });
      await job.artifacts?.close().catch(() => {});
      await job.storage.close().catch(() => {});
      port.close();
    }
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed-to-start', error: describe(error) });
  port.close();
}

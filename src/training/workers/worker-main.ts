// Entry of a train worker thread: runs one trial per "run" message until told to stop.
import { parentPort, workerData } from 'node:worker_threads';
import { runTrial } from '../run-trial.js';
import type { FromWorker, ToWorker } from './messages.js';
import { openStudyJob } from './study-job.js';
import { TrainOptionsSchema } from './train-options.js';

const port = parentPort;
if (!port) throw new Error('worker-main must run in a worker thread');
const send = (message: FromWorker) => port.postMessage(message);

try {
  const { options, packageVersion } = workerData as { options: unknown; packageVersion: string };
  const job = openStudyJob(TrainOptionsSchema.parse(options), packageVersion);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'stop') {
      job.storage.close();
      port.close();
      return;
    }
    const { trialId, number } = job.storage.createTrial(job.study.studyId);
    // A first heartbeat at once: if this process dies now, the stale-trial check can still fail the trial.
    job.storage.recordHeartbeat(trialId);
    send({ type: 'started', trialId, number });
    send({ type: 'finished', outcome: runTrial(job, trialId, number) });
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed-to-start', error: error instanceof Error ? error.message : String(error) });
  port.close();
}

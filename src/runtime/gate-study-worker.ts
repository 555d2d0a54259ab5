// Worker thread of the gate study: runs its share of the tasks and posts the results back.
import { parentPort, workerData } from 'node:worker_threads';
import { runStudyTasks } from '../lifecycle/gate-study/index.js';

const { options, tasks } = workerData;
parentPort!.postMessage(runStudyTasks(options, tasks));

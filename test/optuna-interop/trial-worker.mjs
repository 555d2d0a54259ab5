// A training-like worker for the concurrency test: N trials (create, param, attr, report, finish) on a shared study.
// Usage: node trial-worker.mjs <db path> <study> <trials> <go file>; prints {"numbers": [...]} on stdout.
import { existsSync } from 'node:fs';
import { openStudyStorage } from '../../dist/src/training/storage/index.js';

const [path, studyName, trials, goFile] = process.argv.slice(2);
const cell = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms) => Atomics.wait(cell, 0, 0, ms);

const storage = openStudyStorage(path);
const study = storage.createStudy(studyName, 'maximize', { loadIfExists: true });
process.stdout.write('ready\n');
while (!existsSync(goFile)) sleep(2);

const numbers = [];
const distribution = { kind: 'int', low: 0, high: 1000, log: false, step: 1 };
for (let i = 0; i < Number(trials); i++) {
  const { trialId, number } = storage.createTrial(study.studyId);
  storage.recordHeartbeat(trialId);
  storage.setTrialParam(trialId, 'x', i, distribution);
  storage.setTrialUserAttr(trialId, 'model_path', `models/${studyName}/${number}`);
  sleep(Math.random() * 3);
  storage.setTrialIntermediateValue(trialId, 0, i / 2);
  storage.finishTrial(trialId, 'COMPLETE', i);
  numbers.push(number);
}
storage.close();
process.stdout.write(`${JSON.stringify({ pid: process.pid, numbers })}\n`);

// A training-like worker for the concurrency tests: N trials (create with a heartbeat, param and attribute,
// report, finish, as separate transactions) on a shared study, through the public storage API.
// Usage: node trial-worker.mjs <storage URL or db path> <study> <trials> <go file>; prints {"numbers": [...]}.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStudyStorage } from '../../dist/src/training/storage/index.js';

const [url, studyName, trials, goFile] = process.argv.slice(2);

const storage = await openStudyStorage(url);
const study = await storage.createStudy(studyName, 'maximize', { loadIfExists: true });
process.stdout.write('ready\n');
while (!existsSync(goFile)) await sleep(2);

const numbers = [];
const distribution = { kind: 'int', low: 0, high: 1000, log: false, step: 1 };
for (let i = 0; i < Number(trials); i++) {
  const { trialId, number } = await storage.createTrial(study.studyId, { heartbeat: true });
  await storage.updateTrial(trialId, {
    params: [{ name: 'x', value: i, distribution }],
    userAttrs: { model_path: `models/${studyName}/${number}` },
  });
  await sleep(Math.random() * 3);
  await storage.recordHeartbeat(trialId);
  await storage.updateTrial(trialId, { intermediateValues: [{ step: 0, value: i / 2 }] });
  await storage.updateTrial(trialId, { finish: { state: 'COMPLETE', value: i } });
  numbers.push(number);
}
await storage.close();
process.stdout.write(`${JSON.stringify({ pid: process.pid, numbers })}\n`);

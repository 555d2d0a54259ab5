import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStudyStorage } from './sqlite-study-storage.js';

const WORKER = fileURLToPath(new URL('../../../test/optuna-interop/trial-worker.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'study-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly done: Promise<{ numbers: number[]; stderr: string; code: number | null }>;
}

/** Starts a worker (the compiled module from dist/, built by the global setup) and collects its output. */
function startWorker(path: string, trials: number, goFile: string): Worker {
  const child = spawn(process.execPath, [WORKER, path, 'shared', String(trials), goFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ numbers: number[]; stderr: string; code: number | null }>((resolve) => {
    child.on('close', (code) => {
      markReady();
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const numbers = last.startsWith('{') ? (JSON.parse(last) as { numbers: number[] }).numbers : [];
      resolve({ numbers, stderr, code });
    });
  });
  return { child, ready, done };
}

describe('several processes on one SQLite study', () => {
  it('two workers x 20 trials give 40 trials numbered 0..39 without errors', async () => {
    const path = join(dir, 'studies.db');
    const goFile = join(dir, 'go');
    const workers = [startWorker(path, 20, goFile), startWorker(path, 20, goFile)];
    await Promise.all(workers.map((w) => w.ready));
    const started = performance.now();
    writeFileSync(goFile, '');
    const results = await Promise.all(workers.map((w) => w.done));
    const elapsedMs = performance.now() - started;
    console.info(`concurrency: 2 processes x 20 trials in ${elapsedMs.toFixed(0)} ms`);

    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.numbers).toHaveLength(20);
    }
    const all = results.flatMap((r) => r.numbers).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => i));

    const storage = SqliteStudyStorage.open(path);
    try {
      const study = storage.findStudy('shared');
      expect(study).not.toBeNull();
      const trials = storage.getTrials(study!.studyId);
      expect(trials.map((t) => t.number)).toEqual(all);
      expect(
        trials.every((t) => t.state === 'COMPLETE' && t.userAttrs.model_path === `models/shared/${t.number}`),
      ).toBe(true);
    } finally {
      storage.close();
    }
  });
});

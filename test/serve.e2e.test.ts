// `hybrid-trader serve` through the built CLI: prints its URL, answers, stops cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, trainSmallStudy } from './cli.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `serve` and resolves with the process and its first stdout line. */
function serve(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    env: { ...process.env, HYBRID_TRADER_API_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, line }));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing: ${stderr}`)));
  });
}

/** POSTs a JSON body of about `bytes` bytes over a plain socket; the answer, or the error that ended it. */
function rawPost(
  url: string,
  bytes: number,
  authorization?: string,
): Promise<{ status: number | string; body: string }> {
  const body = JSON.stringify({ reason: 'x'.repeat(bytes) });
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...(authorization ? { authorization } : {}),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? 'error', body: '' }));
    req.end(body);
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('serve (end to end)', () => {
  it('serves the API on 127.0.0.1 with --port 0 and stops on SIGTERM', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-serve-'));
    const { child, line } = await serve(['--root', root, '--port', '0']);
    const match = /^serving (.+) at (http:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(match![1]).toBe(root);
    const url = match![2]!;

    const health = await fetch(`${url}api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, supervisorPid: null, problems: [] });
    const metrics = await fetch(`${url}metrics`);
    expect(await metrics.text()).toMatch(/^# HELP hybrid_trader_/m);
    const page = await fetch(url);
    // the dashboard when the build has bundled it, else the page saying how to build it
    expect(page.status).toBe(existsSync(join(ROOT, 'dist/dashboard/index.html')) ? 200 : 503);
    const denied = await fetch(`${url}api/control/demote`, { method: 'POST', body: '{}' });
    expect(denied.status).toBe(403); // no token in the environment: mutations disabled

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 20_000);

  it("serve --root demo/hybrid shows the demo's study, kept one level up; elsewhere it says how to point at one", async () => {
    const demo = mkdtempSync(join(tmpdir(), 'ht-serve-demo-'));
    expect(trainSmallStudy(demo, { study: 'demo', trials: 2, kind: 'momentum', seed: 2 }).status).toBe(0);
    mkdirSync(join(demo, 'hybrid'));
    const { child, line } = await serve(['--root', join(demo, 'hybrid'), '--port', '0']);
    const url = /at (http:\S+)$/.exec(line)![1]!;
    const studies = (await (await fetch(`${url}api/studies`)).json()) as { studies: { name: string }[] };
    expect(studies.studies.map((s: { name: string }) => s.name)).toEqual(['demo']);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const bare = mkdtempSync(join(tmpdir(), 'ht-serve-bare-'));
    const lines: string[] = [];
    const started = spawn(process.execPath, [CLI, 'serve', '--root', bare, '--port', '0'], {
      env: { ...process.env, HYBRID_TRADER_API_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(started);
    const reader = createInterface({ input: started.stdout! });
    await new Promise<void>((done) =>
      reader.on('line', (l) => {
        lines.push(l);
        if (l.startsWith('studies:')) done();
      }),
    );
    expect(lines.at(-1)).toMatch(/^studies: none in .* --storage sqlite:\/\/\/\/path\/to\/studies\.db/);
    // answering: its stop handler is in place
    expect((await fetch(`${/at (http:\S+)$/.exec(lines[0]!)![1]!}api/health`)).status).toBe(200);
    started.kill('SIGTERM');
    expect(await exited(started)).toBe(0);
  }, 60_000);

  it('takes the token from HYBRID_TRADER_API_TOKEN and prints JSON with --json', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-serve-json-'));
    const { child, line } = await serve(['--root', root, '--port', '0', '--json'], {
      HYBRID_TRADER_API_TOKEN: 'e2e-token-abcdefghijklmnop',
    });
    const info = JSON.parse(line);
    expect(info).toMatchObject({ root, mutations: true });
    const post = (authorization?: string) =>
      fetch(`${info.url}api/control/rollback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: '{"reason": "e2e"}',
      });
    expect((await post()).status).toBe(401);
    const accepted = await post('Bearer e2e-token-abcdefghijklmnop');
    expect(accepted.status).toBe(202);
    const { request } = (await accepted.json()) as { request: { id: string } };
    expect(existsSync(join(root, 'run/control/pending', `${request.id}.json`))).toBe(true);
    // an oversized body is answered 413 over the socket (never a reset connection), before any token check
    for (const authorization of ['Bearer e2e-token-abcdefghijklmnop', undefined]) {
      const big = await rawPost(`${info.url}api/control/demote`, 1024 * 1024, authorization);
      expect(big.status, authorization).toBe(413);
      expect(big.body).toMatch(/must not exceed 16384 bytes/);
    }
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  }, 20_000);

  it('refuses a bad port and a missing workspace as usage errors', () => {
    const r = runCli(['serve', '--port', '70000']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port must be at most 65535, was 70000/);
    const missing = runCli(['serve', '--root', join(tmpdir(), 'ht-no-such-workspace'), '--port', '0']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/ht-no-such-workspace is not a folder/);
  });
});

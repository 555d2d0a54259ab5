#!/usr/bin/env node
// Starts the fake exchange by hand. The build leaves test/ out, so this bundles main.ts with esbuild (a dev
// dependency) into a temporary file and runs it: `node test/fake-exchange/launch.mjs [--port 8999] [--help]`.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
const out = join(tmpdir(), `hybrid-trader-fake-exchange-${process.pid}.mjs`);
await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
process.on('exit', () => rmSync(out, { force: true }));
await import(pathToFileURL(out).href);

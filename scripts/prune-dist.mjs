#!/usr/bin/env node
// Removes from dist/ what tsc emitted for sources that are no longer built: a file deleted, moved or newly
// excluded (tests and their helpers) stays in dist/ after an incremental build otherwise, and would ship.
// Run by `npm run build` after tsc; dist/dashboard (esbuild's output) is left alone.
//
//   node scripts/prune-dist.mjs [path/to/tsconfig.build.json]   (default: this package's)
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const project = resolve(process.argv[2] ?? fileURLToPath(new URL('../tsconfig.build.json', import.meta.url)));
const root = dirname(project);
const dist = join(root, 'dist');
const KEEP = new Set(['dashboard', '.tsbuildinfo']);
const SOURCE_EXT = /\.(ts|mts|cts|tsx|json)$/;
const OUTPUT_EXT = /\.(js|mjs|cjs|json)(\.map)?$|\.d\.(ts|mts|cts)(\.map)?$/;

const config = ts.getParsedCommandLineOfConfigFile(
  project,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
if (!config || config.options.outDir !== dist) throw new Error(`${project} must emit into ${dist}`);
const rootDir = config.options.rootDir ?? root;
// Each built source's path under dist/ without its extension: the stem every output of it shares.
const built = new Set(config.fileNames.map((f) => relative(rootDir, f).replace(SOURCE_EXT, '')));

/** Deletes stale outputs below `dir`; returns whether `dir` is left empty. */
function prune(dir) {
  let left = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(dist, path).split('\\').join('/');
    if (dir === dist && KEEP.has(entry.name)) left++;
    else if (entry.isDirectory()) {
      if (prune(path)) rmdirSync(path);
      else left++;
    } else if (OUTPUT_EXT.test(rel) && built.has(rel.replace(OUTPUT_EXT, ''))) left++;
    else rmSync(path);
  }
  return left === 0;
}

prune(dist);

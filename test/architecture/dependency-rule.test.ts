// The dependency rule holds for src/ (layers, pure modules, isolated service folders, test code that does
// not ship), and the checker finds each kind of breach in a small synthetic tree.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkDependencyRule, factsOf, readTree, undeclaredPackages } from './import-graph.js';
import { SRC_RULE } from './layers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

describe('the dependency rule on src/', () => {
  it('has no upward import, no impure code in a pure module, no test code in what ships', () => {
    const files = readTree(SRC);
    expect(files.length).toBeGreaterThan(300);
    expect(checkDependencyRule(files, SRC_RULE)).toEqual([]);
  });

  it('names as I/O edges only files that exist and do I/O (an edge that no longer needs it is removed)', () => {
    const files = new Map(readTree(SRC).map((f) => [f.file, f]));
    const stale = [...SRC_RULE.ioEdges].filter((edge) => (files.get(edge)?.impure.length ?? 0) === 0);
    expect(stale).toEqual([]);
  });

  it('ships only code that imports declared dependencies (test oracles stay devDependencies)', () => {
    const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const files = readTree(SRC);
    expect(undeclaredPackages(files, SRC_RULE, new Set(Object.keys(manifest.dependencies)))).toEqual([]);
    // and the check sees one: a test oracle imported by code that ships
    const oracle = factsOf('features/rsi.ts', "import { RSI } from 'trading-signals';");
    expect(undeclaredPackages([oracle], SRC_RULE, new Set(['zod']))).toEqual([
      "features/rsi.ts:1 imports trading-signals: not in package.json's dependencies",
    ]);
  });

  it('builds dist/ from no test code: tsconfig.build.json leaves out every test and test helper', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      `${ROOT}tsconfig.build.json`,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(String(d.messageText));
        },
      },
    );
    const built = (config?.fileNames ?? []).map((f) => relative(SRC, f).split('\\').join('/'));
    expect(built.filter((f) => !f.startsWith('..')).length).toBeGreaterThan(300);
    expect(built.filter((f) => SRC_RULE.isTestOnly(f))).toEqual([]);
  });
});

/** A synthetic tree: file path -> source text. */
const tree = (files: Record<string, string>) =>
  Object.entries(files).map(([file, text]) => factsOf(file, text));

describe('the checker on a synthetic tree', () => {
  it('accepts imports down the layers, within a module, of packages, and anything from tests', () => {
    const files = tree({
      'core/errors.ts': 'export class E {}',
      'sim/run.ts': "import { E } from '../core/errors.js';\nimport { z } from 'zod';",
      'lifecycle/paper/trader.ts':
        "import type { R } from '../../sim/run.js';\nimport { C } from '../contracts.js';",
      'lifecycle/contracts.ts': "export type { E } from '../core/errors.js';",
      'sim/run.test.ts':
        "import { readFileSync } from 'node:fs';\nimport { x } from '../cli/main.js';\nDate.now();",
      'cli/main.ts': "import { run } from '../sim/run.js';\nconst t = Date.now();",
    });
    expect(checkDependencyRule(files, SRC_RULE)).toEqual([]);
  });

  it('names an upward import (static, type-only, re-export or dynamic) and a peer import', () => {
    const files = tree({
      'sim/run.ts': "import { loop } from '../runtime/frame-loop.js';",
      'models/policy.ts': "import type { Arena } from '../lifecycle/arena/arena.js';",
      'market/index.ts': "export { live } from '../feeds/live/index.js';",
      'features/store.ts': "const m = await import('../training/trial.js');",
      'sim/fees.ts': "import { f } from '../features/index.js';",
    });
    expect(checkDependencyRule(files, SRC_RULE)).toEqual([
      'sim/run.ts:1 imports ../runtime/frame-loop.js: sim/ (layer 2) may not import runtime/ (layer 6)',
      'models/policy.ts:1 imports ../lifecycle/arena/arena.js: models/ (layer 3) may not import lifecycle/ (layer 5)',
      'market/index.ts:1 imports ../feeds/live/index.js: market/ (layer 1) may not import feeds/ (layer 2)',
      'features/store.ts:1 imports ../training/trial.js: features/ (layer 2) may not import training/ (layer 4)',
      'sim/fees.ts:1 imports ../features/index.js: sim/ (layer 2) may not import features/ (layer 2)',
    ]);
  });

  it('names I/O, the clock, ambient randomness and the environment in a pure module, not at its I/O edge', () => {
    const files = tree({
      'features/rsi.ts': "import { readFileSync } from 'node:fs';\nconst seed = Math.random();",
      'sim/clock.ts': 'export const now = () => Date.now();\nconst d = new Date();\nconst e = new Date(0);',
      'metrics/env.ts': "const k = process.env['K'];\nconst t = performance.now();",
      'models/remote.ts': "const r = await fetch('http://x');",
      'market/load-market.ts': "import { readFileSync } from 'node:fs';",
      'lifecycle/logger.ts': "import { appendFileSync } from 'node:fs';\nDate.now();",
    });
    expect(checkDependencyRule(files, SRC_RULE).map((v) => v.split(': ')[0])).toEqual([
      'features/rsi.ts:1 imports node:fs',
      'features/rsi.ts:2 Math.random',
      'sim/clock.ts:1 Date.now',
      'sim/clock.ts:2 new Date() (the clock)',
      'metrics/env.ts:1 process.env',
      'metrics/env.ts:2 performance.now',
      'models/remote.ts:1 fetch()',
    ]);
  });

  it('names code that ships importing a test helper, and one service folder importing another', () => {
    const files = tree({
      'features/store.ts': "import { bars } from './test-fixtures.js';",
      'runtime/host.ts': "import { fake } from './notify/testing/fake-fetch.js';",
      'lifecycle/arena/arena.ts': "import { PolicyStepper } from '../paper/policy-step.js';",
      'lifecycle/testing/services.ts': "import { PaperTrader } from '../paper/paper-trader.js';",
    });
    expect(checkDependencyRule(files, SRC_RULE)).toEqual([
      'features/store.ts:1 imports ./test-fixtures.js: test-only code, which must not ship (dist/) with the module',
      'runtime/host.ts:1 imports ./notify/testing/fake-fetch.js: test-only code, which must not ship (dist/) with the module',
      "lifecycle/arena/arena.ts:1 imports ../paper/policy-step.js: lifecycle/arena may not import lifecycle/paper: they meet in lifecycle/'s shared files (contracts)",
    ]);
  });

  it('names a folder the rule does not place, and an import that leaves every module', () => {
    const files = tree({
      'plugins/x.ts': 'export const x = 1;',
      'sim/run.ts': "import { y } from '../../scripts/y.js';",
    });
    expect(checkDependencyRule(files, SRC_RULE)).toEqual([
      'plugins/x.ts: in no module of the rule (add its folder to the layers)',
      'sim/run.ts:1 imports ../../scripts/y.js: outside every module of the rule',
    ]);
  });
});

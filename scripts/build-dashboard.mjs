// Bundles the dashboard (src/server/dashboard) into dist/dashboard/ with esbuild: the page's script, the
// replay report's chart script, index.html and the stylesheets (uPlot's included). Everything the page
// needs is in that folder, so it works offline. Run by `npm run build` after tsc.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'src/server/dashboard');
const out = join(root, 'dist/dashboard');
const require = createRequire(import.meta.url);
const uplotPackage = require.resolve('uplot/package.json');
const uplotVersion = JSON.parse(readFileSync(uplotPackage, 'utf8')).version;

// uPlot's copyright header is a plain comment that minification drops; its MIT licence asks to keep it.
const banner = `/*! uPlot ${uplotVersion} (c) Leon Sorokin, MIT licence, https://github.com/leeoniya/uPlot */`;

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  legalComments: 'none',
  banner: { js: banner },
  logLevel: 'warning',
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await Promise.all([
  build({
    ...common,
    entryPoints: [join(source, 'app.ts')],
    outfile: join(out, 'app.js'),
    sourcemap: 'linked',
  }),
  // Inlined into the self-contained report, so no source map (the report must not refer to other files).
  build({
    ...common,
    entryPoints: [join(source, 'charts/report-entry.ts')],
    outfile: join(out, 'report-chart.js'),
  }),
]);
copyFileSync(join(source, 'index.html'), join(out, 'index.html'));
copyFileSync(join(source, 'styles.css'), join(out, 'styles.css'));
copyFileSync(join(source, 'charts/charts.css'), join(out, 'charts.css'));
copyFileSync(join(dirname(uplotPackage), 'dist/uPlot.min.css'), join(out, 'uPlot.min.css'));

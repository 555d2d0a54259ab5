// `hybrid-trader features export`: the exact observation rows a model will be served, as .npy + JSON sidecar.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { parseConfig } from '../../core/schema-issues.js';
import { addDataOptions, type DataFlags, loadCommandData, resolveDataOptions } from '../data-options.js';
import { intOption, isoOption, listOption, numberOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';

interface FeaturesExportFlags extends DataFlags {
  root?: string;
  data: string;
  symbols?: string[];
  timeframe?: string;
  features?: string[];
  lookback: number;
  from?: number;
  to?: number;
  normalisation?: string;
  clip?: number;
  out: string;
  json?: boolean;
}

/** The normalisation of a sidecar or a bundle manifest (both keep it in a `normalisation` field). */
async function readNormalisation(path: string) {
  const { normalisationSchema } = await import('../../features/index.js');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      'NORMALISATION_FILE_INVALID',
      `--normalisation ${path}: cannot read JSON (${error instanceof Error ? error.message : String(error)})`,
      { path },
    );
  }
  // an export's .json sidecar and a bundle's manifest.json both keep it in a "normalisation" field
  return parseConfig(
    normalisationSchema,
    (raw as { normalisation?: unknown } | null)?.normalisation,
    'NORMALISATION_FILE_INVALID',
    `--normalisation ${path}`,
    { prefix: ['normalisation'], context: { path } },
  );
}

export function registerFeatures(program: Command): void {
  const features = program.command('features').description('features and observations');
  const cmd = features
    .command('export')
    .description(
      'write the observation rows a model will be served (built by the serving code) as .npy, with a JSON sidecar (layout, normalisation, bar times) and the closes',
    )
    .option(
      '--data <file|builtin>',
      'market data: CSV/JSON file(s), comma-separated, or builtin[?seed=N&bars=N]',
      'builtin',
    )
    .option(
      '--symbols <list>',
      'observe only these symbols, in this order (comma-separated)',
      listOption('--symbols'),
    )
    .option('--timeframe <tf>', 'bar length of file data when it cannot be inferred, e.g. 1h')
    .option(
      '--features <list>',
      'features in observation order, comma-separated (default: all twelve)',
      listOption('--features'),
    )
    .option('--lookback <n>', 'frames per observation, integer >= 1', intOption('--lookback', 1), 1)
    .option(
      '--from <iso>',
      'first bar of the window (earlier bars still warm up indicators)',
      isoOption('--from'),
    )
    .option('--to <iso>', 'end of the window, exclusive', isoOption('--to'))
    .option(
      '--normalisation <file>',
      "use this normalisation (an export's .json sidecar or a bundle's manifest.json) instead of fitting one on the window",
    )
    .option(
      '--clip <z>',
      'clip bound of normalised values when fitting (default 5)',
      numberOption('--clip', 1e-9),
    )
    .requiredOption(
      '--out <file.npy>',
      'observations file; <name>.json (sidecar) and <name>.close.npy are written beside it',
    )
    .option('--root <dir>', `${ROOT_HELP}; its hybrid.config.json gives the data options`)
    .option('--json', 'print a summary as JSON');
  addDataOptions(cmd);
  cmd.action(async (flags: FeaturesExportFlags) => {
    if (flags.normalisation !== undefined && flags.clip !== undefined)
      throw new ConfigError(
        'FLAGS_CONFLICT',
        '--clip applies to a normalisation fitted on the window; with --normalisation the file gives the clip',
      );
    if (!flags.out.endsWith('.npy'))
      throw new ConfigError('OUTPUT_NAME_INVALID', `--out must name a .npy file, was "${flags.out}"`);
    const [{ indexAtOrAfter, isoTs }, features, { msToTimeframe }, bundle, atomic, { VERSION }] =
      await Promise.all([
        import('../../market/market-data.js'),
        import('../../features/index.js'),
        import('../../core/timeframe.js'),
        import('../../models/bundle/index.js'),
        import('../../state/atomic-file.js'),
        import('../version.js'),
      ]);
    const { loadWorkspaceConfig } = await import('../../config/workspace-config.js');
    const config = loadWorkspaceConfig(workspaceRoot(flags.root));
    const market = loadCommandData(
      flags.data,
      { symbols: flags.symbols, timeframe: flags.timeframe, ...resolveDataOptions(flags, config.data) },
      { fromTs: flags.from, toTs: flags.to },
    );
    const spec = features.observationSpecSchema.parse({
      symbols: market.symbols,
      features: flags.features ?? features.FEATURE_NAMES,
      lookback: flags.lookback,
    });
    const from = flags.from === undefined ? 0 : indexAtOrAfter(market, flags.from);
    const to = flags.to === undefined ? market.length : indexAtOrAfter(market, flags.to);
    const normalisation = flags.normalisation ? await readNormalisation(flags.normalisation) : undefined;
    const result = features.buildObservationRows(
      market,
      spec,
      { from, to },
      { normalisation, clip: flags.clip },
    );
    const n = spec.symbols.length;
    const count = result.ts.length;
    const base = flags.out.slice(0, -'.npy'.length);
    const paths = { observations: flags.out, closes: `${base}.close.npy`, sidecar: `${base}.json` };
    const observationsBytes = features.encodeNpy(result.rows, [count, result.size]);
    const closesBytes = features.encodeNpy(result.closes, [count, n]);
    const sidecar: import('../../features/index.js').ObservationExport = {
      schemaVersion: 1,
      format: 'hybrid-trader observations',
      observations: {
        file: basename(paths.observations),
        dtype: 'float64',
        shape: [count, result.size],
        sha256: bundle.sha256Hex(observationsBytes),
      },
      closes: {
        file: basename(paths.closes),
        dtype: 'float64',
        shape: [count, n],
        sha256: bundle.sha256Hex(closesBytes),
      },
      spec,
      timeframe: msToTimeframe(market.timeframeMs),
      observationSize: result.size,
      layout: {
        portfolio: {
          columns: [0, 1 + n],
          exported:
            'all cash (1, then 0 per symbol); at run time the simulator writes the portfolio: cash weight, then the weight of each symbol, marked at the close',
        },
        features: {
          columns: [1 + n, result.size],
          order:
            'frame-major from the oldest frame (t - lookback + 1) to t, then symbol, then feature: column 1 + n + (w * n + i) * nFeatures + f',
        },
      },
      normalisation: result.normalisation,
      normalisationSource: flags.normalisation ?? 'fitted on the exported window',
      rows: { count, ts: result.ts },
      window: [isoTs(result.ts[0]!), isoTs(result.ts[count - 1]!)],
      data: { source: flags.data, hash: bundle.marketDataHash(market, result.from, result.to) },
      packageVersion: VERSION,
    };
    try {
      // the sidecar last: one that exists describes arrays that are complete
      await atomic.writeFileAtomicSafe(paths.observations, Buffer.from(observationsBytes));
      await atomic.writeFileAtomicSafe(paths.closes, Buffer.from(closesBytes));
      await atomic.writeFileAtomicSafe(paths.sidecar, `${JSON.stringify(sidecar, null, 2)}\n`);
    } catch (error) {
      throw new ConfigError(
        'OUTPUT_UNWRITABLE',
        `cannot write --out ${flags.out}: ${error instanceof Error ? error.message : String(error)}`,
        { path: flags.out },
      );
    }
    const summary = {
      rows: count,
      observationSize: result.size,
      window: sidecar.window,
      normalisation: sidecar.normalisationSource,
      files: paths,
    };
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(summary, null, 2)}\n`
        : `features export: ${count} rows x ${result.size} (${n} symbols x ${spec.features.length} features x lookback ${spec.lookback} + ${1 + n} portfolio weights), ${sidecar.window[0]} .. ${sidecar.window[1]}, normalisation ${sidecar.normalisationSource}\n  ${paths.observations}\n  ${paths.closes}\n  ${paths.sidecar}\n`,
    );
  });
}

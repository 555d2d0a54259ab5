// `hybrid-trader data check FILE...`: loads market data files and prints what was read, normalised and dropped.
import type { Command } from 'commander';
import { z } from 'zod';
import { HybridTraderError } from '../../core/errors.js';
import type { MarketCacheOptions } from '../../market/load-market.js';
import { DataReportSchema } from '../../market/loaders/data-report.schema.js';
import type { LoadMarketOptions } from '../../market/loaders/load-sources.js';
import { addDataOptions, resolveDataOptions } from '../data-options.js';
import { listOption, numberOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';

/** Flags of `data check`; the loader options plus `json`. */
export interface DataCheckOptions extends LoadMarketOptions {
  /** false with --no-data-cache. */
  readonly dataCache?: boolean;
  readonly json?: boolean;
  readonly root?: string;
  readonly strict?: boolean;
  readonly spikeDeviations?: number;
}

/** What runDataCheck needs besides the loader's options. */
export interface RunDataCheckOptions extends LoadMarketOptions, MarketCacheOptions {
  /** Refuse (BARS_SUSPICIOUS) when a suspicious bar is found. */
  readonly strict?: boolean;
}

/** `--json` output: the report, or the refusal with the file, line and field it names (null if none). */
export const DataCheckOutputSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), report: DataReportSchema }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      file: z.string().nullable(),
      line: z.number().int().positive().nullable(),
      field: z.string().nullable(),
    }),
  }),
]);
/** See DataCheckOutputSchema. */
export type DataCheckOutput = z.infer<typeof DataCheckOutputSchema>;

/** The output of a check, and on a refusal the error the command rethrows (for its exit code). */
export interface DataCheckResult {
  readonly output: DataCheckOutput;
  readonly error?: HybridTraderError;
}

function contextValue<T>(error: HybridTraderError, key: string, guard: (v: unknown) => v is T): T | null {
  const value = error.context[key];
  return guard(value) ? value : null;
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';

/**
 * Loads `paths` and returns the validated output; a refusal (any HybridTraderError: DataError, bad
 * options) becomes `ok: false` plus the error. Other errors (bugs) propagate.
 */
export async function runDataCheck(
  paths: readonly string[],
  options: RunDataCheckOptions,
): Promise<DataCheckResult> {
  const { loadMarketFiles } = await import('../../market/load-market.js');
  const { suspiciousRefusal } = await import('../../market/loaders/suspicious-bars.js');
  try {
    const { report } = loadMarketFiles(paths, options);
    if (options.strict && report.suspicious !== null && report.suspicious.count > 0)
      throw suspiciousRefusal(report.suspicious);
    return { output: DataCheckOutputSchema.parse({ ok: true, report }) };
  } catch (error) {
    if (!(error instanceof HybridTraderError)) throw error;
    const output = DataCheckOutputSchema.parse({
      ok: false,
      error: {
        code: error.code,
        message: error.message,
        file: contextValue(error, 'file', isString),
        line: contextValue(error, 'line', isNumber),
        field: contextValue(error, 'field', isString),
      },
    });
    return { output, error };
  }
}

/** What `data check` writes to stdout: JSON with `json`, else the readable report (nothing on a refusal). */
export async function renderDataCheck(result: DataCheckResult, json: boolean): Promise<string> {
  if (json) return `${JSON.stringify(result.output, null, 2)}\n`;
  if (!result.output.ok) return '';
  const { formatDataReport } = await import('../../market/loaders/report-text.js');
  return formatDataReport(result.output.report);
}

/** Registers `check` under `data`. A refusal exits 1 (DataError) or 2 (bad options) through cli/main. */
export function registerDataCheck(data: Command): void {
  const cmd = data
    .command('check')
    .description(
      'load market data files (CSV, CryptoDataDownload CSV, ccxt JSON), report what was read, normalised and dropped; refuse bad data naming file, line and field',
    )
    .argument('<files...>', 'market data files (CSV or JSON); their symbols are merged')
    .option(
      '--symbol <name>',
      'symbol of a single file that names none (default: from the file name, BTC_USDT-1h.csv -> BTC/USDT)',
    )
    .option(
      '--symbols <list>',
      'comma-separated symbols to keep, in this order (default: all, in order of appearance)',
      listOption('--symbols'),
    )
    .option(
      '--timeframe <tf>',
      'bar length such as 1h, 15m, 1d (default: inferred from the most common bar spacing)',
    )
    .option('--strict', 'refuse the data (exit 1) when a suspicious bar is found, instead of warning')
    .option(
      '--spike-deviations <n>',
      'a price more than this many robust deviations from its neighbours is a spike (default: data.checks.spikeDeviations, else 75)',
      numberOption('--spike-deviations', Number.MIN_VALUE),
    )
    .option('--root <dir>', `${ROOT_HELP}; its hybrid.config.json gives the data options`)
    .option('--json', 'print the report (or the refusal) as JSON on stdout', false);
  addDataOptions(cmd);
  cmd.action(async (files: string[], flags: DataCheckOptions) => {
    const { json = false, root, strict = false, spikeDeviations, dataCache: _cache, ...options } = flags;
    const { loadWorkspaceConfig } = await import('../../config/workspace-config.js');
    const dir = workspaceRoot(root);
    const config = loadWorkspaceConfig(dir);
    const checks = {
      ...config.data.checks,
      ...(spikeDeviations === undefined ? {} : { spikeDeviations }),
    };
    const result = await runDataCheck(files, {
      ...options,
      ...resolveDataOptions(flags, config.data, dir),
      checks,
      strict,
    });
    process.stdout.write(await renderDataCheck(result, json));
    if (result.error) throw result.error;
  });
}

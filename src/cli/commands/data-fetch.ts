// `hybrid-trader data fetch`: downloads closed bars from an exchange (ccxt, public API) into the plain long CSV.
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { timeframeToMs } from '../../core/timeframe.js';
import type { ServiceLogger } from '../../lifecycle/contracts.js';
import { isoOption, listOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';

interface DataFetchFlags {
  exchange: string;
  symbols?: string[];
  timeframe: string;
  since: number;
  until?: number;
  out?: string;
  exchangeApiUrl?: string;
  root?: string;
  json?: boolean;
}

/** `--json` output: what was downloaded, where, and what was left out. */
export const DataFetchOutputSchema = z.object({
  ok: z.literal(true),
  out: z.string(),
  exchange: z.string(),
  symbols: z.array(z.string()),
  timeframe: z.string(),
  created: z.boolean(),
  rowsBefore: z.int().min(0),
  rowsWritten: z.int().min(0),
  /** Per symbol, the first bar time this run asked for (ISO). */
  startedAt: z.record(z.string(), z.string()),
  /** End of what was asked, exclusive (ISO): --until, or the end of the latest closed bar. */
  until: z.string(),
  invalidBars: z.array(z.object({ symbol: z.string(), ts: z.string(), problem: z.string() })),
  repairedBytes: z.int().min(0),
  stopped: z.boolean(),
});
export type DataFetchOutput = z.infer<typeof DataFetchOutputSchema>;

function timeframeFlag(value: string): string {
  try {
    timeframeToMs(value);
    return value;
  } catch {
    throw new InvalidArgumentError(`--timeframe must look like 1m, 15m, 1h, 4h or 1d, was "${value}"`);
  }
}

function urlFlag(value: string): string {
  if (!/^https?:\/\/[^/\s]+/i.test(value))
    throw new InvalidArgumentError(
      `--exchange-api-url must be an http(s) URL such as http://127.0.0.1:8999, was "${value}"`,
    );
  return value;
}

/** One progress line: a bar on a terminal, plain text elsewhere. */
export function progressText(
  done: number,
  total: number,
  throughTs: number,
  width = 30,
): { bar: string; plain: string } {
  const fraction = total > 0 ? Math.min(done / total, 1) : 1;
  const filled = Math.round(fraction * width);
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  const through = new Date(throughTs + 1).toISOString().slice(0, 16).replace('T', ' ');
  return {
    bar: `fetch [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct} ${done}/${total} bars, up to ${through}`,
    plain: `fetch: ${pct.trim()} (${done}/${total} bars), up to ${through}`,
  };
}

/** Progress on stderr: redrawn in place on a terminal, else a line at each further 10 %. */
function progressReporter(stream: NodeJS.WriteStream) {
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done: number, total: number, throughTs: number) {
      const text = progressText(done, total, throughTs);
      if (stream.isTTY) {
        stream.write(`\r${text.bar}\x1b[K`);
        drawn = true;
        return;
      }
      const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${text.plain}\n`);
      }
    },
    /** Ends the redrawn line before other output. */
    clear() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** Registers `fetch` under `data`. */
export function registerDataFetch(data: Command): void {
  data
    .command('fetch')
    .description(
      'download closed bars from an exchange (ccxt, public API, no key) into the CSV that data check, train, backtest and replay read; an existing --out is continued',
    )
    .option('--exchange <id>', 'ccxt exchange id', 'binance')
    .option(
      '--symbols <list>',
      'comma-separated symbols, e.g. BTC/USDT,ETH/USDT (default: exchange.symbols default, the seven USDT pairs of the builtin market)',
      listOption('--symbols'),
    )
    .option('--timeframe <tf>', 'bar length: 1m, 15m, 1h, 4h, 1d', timeframeFlag, '1h')
    .requiredOption(
      '--since <iso>',
      'first bar (open time), ISO date or date-time, UTC',
      isoOption('--since'),
    )
    .option(
      '--until <iso>',
      'end, exclusive, ISO (default: now; only closed bars are written)',
      isoOption('--until'),
    )
    .option('--out <file>', 'CSV to write or continue (default: <root>/data/<exchange>-<timeframe>.csv)')
    .option('--exchange-api-url <url>', "base URL replacing the exchange's API host (proxy, tests)", urlFlag)
    .option('--root <dir>', ROOT_HELP)
    .option('--json', 'print a JSON summary on stdout', false)
    .action(async (flags: DataFetchFlags) => {
      const root = workspaceRoot(flags.root);
      const out =
        flags.out === undefined
          ? join(root, 'data', `${flags.exchange}-${flags.timeframe}.csv`)
          : resolve(flags.out);
      if (flags.until !== undefined && flags.until <= flags.since)
        throw new ConfigError(
          'RANGE_EMPTY',
          `--until (${new Date(flags.until).toISOString()}) must be after --since (${new Date(flags.since).toISOString()})`,
        );
      const [
        { createCcxtClient },
        { downloadHistory },
        { withRetry },
        { RetryPolicySchema, resolveExchangeConfig },
      ] = await Promise.all([
        import('../../feeds/live/ccxt-client.js'),
        import('../../feeds/live/download-history.js'),
        import('../../feeds/live/retry.js'),
        import('../../feeds/live/exchange-config.js'),
      ]);
      const symbols = flags.symbols ?? resolveExchangeConfig({}).symbols;
      if (new Set(symbols).size !== symbols.length)
        throw new ConfigError(
          'SYMBOLS_DUPLICATE',
          `--symbols must not repeat a symbol, was ${symbols.join(',')}`,
        );

      const progress = progressReporter(process.stderr);
      const say = (msg: string) => {
        progress.clear();
        process.stderr.write(`fetch: ${msg}\n`);
      };
      const logger: ServiceLogger = { info: say, warn: say, error: say };
      // Ctrl-C finishes the window being written (the file stays whole), a second one exits at once.
      let stopRequested = false;
      const onSignal = () => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        say('stopping after the current window (Ctrl-C again to quit at once)');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const client = await createCcxtClient({ exchangeId: flags.exchange, apiUrl: flags.exchangeApiUrl });
        const retry = {
          policy: RetryPolicySchema.parse({}),
          minDelayMs: client.rateLimitMs,
          sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
          random: Math.random,
          logger,
        };
        await withRetry(() => client.checkMarket(symbols, flags.timeframe), retry);
        const result = await downloadHistory({
          client,
          symbols,
          timeframe: flags.timeframe,
          sinceTs: flags.since,
          untilTs: flags.until,
          outPath: out,
          now: Date.now,
          retry,
          onProgress: (p) => progress.update(p.done, p.total, p.throughTs),
          stopRequested: () => stopRequested,
        });
        progress.clear();
        const iso = (ts: number) => new Date(ts).toISOString();
        for (const bad of result.invalid.slice(0, 5))
          say(`left out an invalid bar: ${bad.symbol} at ${iso(bad.ts)}: ${bad.problem}`);
        if (result.invalid.length > 5) say(`left out ${result.invalid.length - 5} more invalid bar(s)`);
        if (result.repairedBytes > 0)
          say(`cut off a torn last line (${result.repairedBytes} bytes) left by an interrupted run`);
        const action = result.created ? 'wrote' : `continued (${result.rowsBefore} rows before)`;
        say(
          `${action} ${out}: ${result.rowsWritten} new rows, ${symbols.length} symbols, ${flags.timeframe}, until ${iso(result.throughTs + 1)}` +
            (result.stopped ? '; interrupted: run the same command again to continue' : ''),
        );
        if (flags.json) {
          const output: DataFetchOutput = DataFetchOutputSchema.parse({
            ok: true,
            out,
            exchange: flags.exchange,
            symbols,
            timeframe: flags.timeframe,
            created: result.created,
            rowsBefore: result.rowsBefore,
            rowsWritten: result.rowsWritten,
            startedAt: Object.fromEntries(Object.entries(result.startTs).map(([s, ts]) => [s, iso(ts)])),
            until: iso(result.throughTs + 1),
            invalidBars: result.invalid.map((b) => ({ symbol: b.symbol, ts: iso(b.ts), problem: b.problem })),
            repairedBytes: result.repairedBytes,
            stopped: result.stopped,
          });
          process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
        }
        if (result.stopped) process.exitCode = 130;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

// `hybrid-trader data synth`: writes the built-in synthetic market as plain CSV to a file or stdout.
import { type Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { msToTimeframe, timeframeToMs } from '../../core/timeframe.js';
import { intOption, isoOption, listOption } from '../options.js';

/** Parsed flags; an absent flag takes the generator's default (one source of truth, stated in the help). */
interface DataSynthFlags {
  seed?: number;
  symbols?: string[];
  bars?: number;
  start?: number;
  timeframe?: number;
  out?: string;
}

/** A timeframe flag ("1h", "15m") as ms, reported as a usage error naming the flag. */
function timeframeOption(flag: string) {
  return (value: string): number => {
    try {
      return timeframeToMs(value);
    } catch {
      throw new InvalidArgumentError(`${flag} must look like 1m, 15m, 1h, 4h or 1d, was "${value}"`);
    }
  };
}

/**
 * Writes `pieces` to stdout one after another, each flushed before the next is made; a reader that
 * closes the pipe (`| head`) ends the output quietly.
 */
async function writeStdout(pieces: Iterable<string>): Promise<void> {
  let closed = false;
  // Stays attached: the EPIPE 'error' event can arrive after a write's callback.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
  });
  for (const piece of pieces) {
    if (closed) return;
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(piece, (error) =>
        error && (error as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(error) : resolve(),
      ),
    );
  }
}

/** Registers `data synth` under the `data` command. */
export function registerDataSynth(data: Command): void {
  data
    .command('synth')
    .description(
      'generate the built-in synthetic market (regime-switching factor model, see docs/synthetic-market.md) as CSV',
    )
    .option('--seed <n>', 'random seed, integer >= 0 (default: 42)', intOption('--seed', 0))
    .option(
      '--symbols <list>',
      'comma-separated symbols (default: BTC/USDT,ETH/USDT,SOL/USDT,AVAX/USDT,LINK/USDT,LTC/USDT,UNI/USDT)',
      listOption('--symbols'),
    )
    .option(
      '--bars <n>',
      'number of bars (frames), integer >= 1 (default: 8760, one year of 1h)',
      intOption('--bars', 1),
    )
    .option(
      '--start <iso>',
      'open time of the first bar, ISO date or date-time, UTC (default: 2024-01-01T00:00:00Z)',
      isoOption('--start'),
    )
    .option(
      '--timeframe <tf>',
      'bar length such as 15m, 1h, 4h, 1d (default: 1h)',
      timeframeOption('--timeframe'),
    )
    .option('--out <file>', 'write the CSV atomically to this file (default: stdout)')
    .action(async (flags: DataSynthFlags) => {
      const [{ generateSyntheticMarket, resolveSynthOptions }, { marketCsvChunks }, { isoTs }] =
        await Promise.all([
          import('../../market/synth.js'),
          import('../../market/csv-writer.js'),
          import('../../market/market-data.js'),
        ]);
      const options = resolveSynthOptions({
        ...(flags.seed !== undefined && { seed: flags.seed }),
        ...(flags.symbols !== undefined && { symbols: flags.symbols }),
        ...(flags.bars !== undefined && { bars: flags.bars }),
        ...(flags.start !== undefined && { startTs: flags.start }),
        ...(flags.timeframe !== undefined && { timeframeMs: flags.timeframe }),
      });
      const market = generateSyntheticMarket(options);
      if (flags.out === undefined) {
        await writeStdout(marketCsvChunks(market));
        return;
      }
      const { writeFileAtomicSafeSync } = await import('../../state/atomic-file.js');
      try {
        writeFileAtomicSafeSync(flags.out, marketCsvChunks(market));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigError('OUTPUT_UNWRITABLE', `cannot write --out ${flags.out}: ${reason}`, {
          path: flags.out,
        });
      }
      const first = isoTs(market.ts[0]!);
      const last = isoTs(market.ts[market.length - 1]!);
      process.stderr.write(
        `synth: ${market.symbols.length} symbols (${market.symbols.join(',')}), ${market.length} bars of ` +
          `${msToTimeframe(market.timeframeMs)}, ${first} .. ${last}, seed ${options.seed} -> ${flags.out}\n`,
      );
    });
}

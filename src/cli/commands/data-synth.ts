// `hybrid-trader data synth`: writes the built-in synthetic market as plain CSV to a file or stdout.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { msToTimeframe, timeframeToMs } from '../../core/timeframe.js';
import { intOption, isoOption, listOption } from '../options.js';

interface DataSynthFlags {
  seed: number;
  symbols?: string[];
  bars: number;
  start: number;
  timeframe: number;
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

/** Writes `text` to stdout and waits until it is flushed; a closed pipe (`| head`) ends quietly. */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Stays attached: the EPIPE 'error' event can arrive after the write callback.
    process.stdout.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' ? resolve() : reject(error),
    );
    process.stdout.write(text, () => resolve());
  });
}

/** Registers `data synth` under the `data` command. */
export function registerDataSynth(data: Command): void {
  data
    .command('synth')
    .description(
      'generate the built-in synthetic market (regime-switching factor model, see docs/synthetic-market.md) as CSV',
    )
    .option('--seed <n>', 'random seed, integer >= 0', intOption('--seed', 0), 42)
    .option(
      '--symbols <list>',
      'comma-separated symbols (default BTC/USDT,ETH/USDT,SOL/USDT,AVAX/USDT,LINK/USDT,LTC/USDT,UNI/USDT)',
      listOption('--symbols'),
    )
    .option('--bars <n>', 'number of bars (frames)', intOption('--bars', 1), 8760)
    .addOption(
      new Option('--start <iso>', 'open time of the first bar, ISO date or date-time, UTC')
        .argParser(isoOption('--start'))
        .default(Date.UTC(2024, 0, 1), '2024-01-01T00:00:00Z'),
    )
    .addOption(
      new Option('--timeframe <tf>', 'bar length such as 15m, 1h, 4h, 1d')
        .argParser(timeframeOption('--timeframe'))
        .default(3_600_000, '1h'),
    )
    .option('--out <file>', 'write the CSV atomically to this file (default: stdout)')
    .action(async (flags: DataSynthFlags) => {
      const [{ generateSyntheticMarket }, { formatMarketCsv }, { isoTs }] = await Promise.all([
        import('../../market/synth.js'),
        import('../../market/csv-writer.js'),
        import('../../market/market-data.js'),
      ]);
      const market = generateSyntheticMarket({
        seed: flags.seed,
        bars: flags.bars,
        startTs: flags.start,
        timeframeMs: flags.timeframe,
        ...(flags.symbols ? { symbols: flags.symbols } : {}),
      });
      const csv = formatMarketCsv(market);
      if (flags.out === undefined) {
        await writeStdout(csv);
        return;
      }
      const { writeFileAtomicSafe } = await import('../../state/atomic-file.js');
      await writeFileAtomicSafe(flags.out, csv);
      const first = isoTs(market.ts[0]!);
      const last = isoTs(market.ts[market.length - 1]!);
      process.stderr.write(
        `synth: ${market.symbols.length} symbols (${market.symbols.join(',')}), ${market.length} bars of ` +
          `${msToTimeframe(market.timeframeMs)}, ${first} .. ${last}, seed ${flags.seed} -> ${flags.out}\n`,
      );
    });
}

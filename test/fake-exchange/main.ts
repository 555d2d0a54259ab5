// Runs the fake exchange by hand (see launch.mjs): `node test/fake-exchange/launch.mjs --port 8999`.
import { startFakeExchange } from './server.js';

/** `--name value` pairs of argv. */
function flags(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    out.set(arg.slice(2), argv[i + 1] ?? '');
    i++;
  }
  return out;
}

const HELP = `fake exchange: Binance spot public REST on 127.0.0.1 (exchangeInfo, klines, time, ping)

options:
  --port N            port (default 8999; 0 = any free port)
  --symbols A,B       listed markets (default BTC/USDT,ETH/USDT,SOL/USDT)
  --latency-ms N      delay of each klines answer (default 0)

scenario switches while it runs: POST /_fake/control with a JSON body, e.g.
  curl -d '{"action":"failNext","count":3,"status":429}' URL/_fake/control
actions: formingCandle {on}, outage {seconds, mode: drop|503}, failNext {count, status},
         malformedNext {count}, dropBar {symbol, ts, forSeconds?}, zeroPrice {symbol, ts, forSeconds?}
`;

const args = process.argv.slice(2);
if (args.includes('--help')) {
  process.stdout.write(HELP);
} else {
  const f = flags(args);
  const fake = await startFakeExchange({
    port: Number(f.get('port') ?? 8999),
    ...(f.has('symbols') && { symbols: f.get('symbols')!.split(',') }),
    ...(f.has('latency-ms') && { latencyMs: Number(f.get('latency-ms')) }),
  });
  process.stdout.write(
    `fake exchange (binance spot REST) on ${fake.url}, markets ${fake.symbols.join(', ')}, wall clock\n` +
      `try: hybrid-trader data fetch --exchange binance --exchange-api-url ${fake.url} --symbols ${fake.symbols.join(',')} --since 2024-01-01 --until 2024-02-01\n`,
  );
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

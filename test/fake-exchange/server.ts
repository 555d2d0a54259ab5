// A fake exchange on 127.0.0.1 speaking Binance spot's public REST shape (exchangeInfo, klines, time, ping),
// with a controllable clock and switches for the failures a live feed must survive.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bar } from '../../src/market/bar.js';
import { fakeBar, formingBar, marketId } from './fake-market.js';

/** Binance's kline intervals this fake serves, in ms. */
const INTERVAL_MS: Record<string, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
};

export interface FakeExchangeOptions {
  /** Listed spot markets (default BTC/USDT, ETH/USDT, SOL/USDT). */
  readonly symbols?: readonly string[];
  /** Fixed start of the fake clock, epoch ms; default: the wall clock (it then runs in real time). */
  readonly nowMs?: number;
  /** First bar time of every market (default 2017-01-01). */
  readonly listedSinceMs?: number;
  /** Port (default 0: any free one). */
  readonly port?: number;
  /** Real delay before answering each klines request, ms (default 0): to interrupt a download mid-way. */
  readonly latencyMs?: number;
}

/** Where a kline is tampered with: `symbol`'s bar at `ts`, while the fake clock is before `untilMs`. */
interface BarRule {
  readonly symbol: string;
  readonly ts: number;
  readonly untilMs: number;
}

/** One request as the fake received it. */
export interface FakeRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Fake clock when it arrived. */
  readonly atMs: number;
  /** What was answered: an HTTP status, or `dropped` (connection destroyed). */
  readonly outcome: number | 'dropped';
}

export interface FakeExchange {
  /** Base URL to give as `--exchange-api-url` / `apiUrl`. */
  readonly url: string;
  readonly port: number;
  readonly symbols: readonly string[];
  /** The fake clock, epoch ms. */
  now(): number;
  setNow(ms: number): void;
  advance(ms: number): void;
  /** Every request so far. */
  readonly requests: FakeRequest[];
  /** Whether klines include the still-forming candle, as Binance does (default true). */
  setFormingCandle(on: boolean): void;
  /** Every request while the fake clock is in [fromMs, toMs) fails: connection dropped, or HTTP 503. */
  outage(fromMs: number, toMs: number, mode?: 'drop' | '503'): void;
  /** The next `count` klines requests answer `status` (429 with Retry-After, 500, 503). */
  failNext(count: number, status: 429 | 500 | 503): void;
  /** The next `count` klines requests answer 200 with truncated JSON. */
  malformedNext(count: number): void;
  /** `symbol`'s bar at `ts` is absent from klines until the fake clock reaches `untilMs` (default: forever). */
  dropBar(symbol: string, ts: number, untilMs?: number): void;
  /** `symbol`'s bar at `ts` is served with close and low 0 until the fake clock reaches `untilMs`. */
  zeroPrice(symbol: string, ts: number, untilMs?: number): void;
  /** The closed bar the fake serves (when untampered). */
  bar(symbol: string, ts: number, timeframeMs: number): Bar;
  close(): Promise<void>;
}

const active = (rules: readonly BarRule[], symbol: string, ts: number, nowMs: number) =>
  rules.some((r) => r.symbol === symbol && r.ts === ts && nowMs < r.untilMs);

/** Starts the fake exchange on 127.0.0.1. */
export async function startFakeExchange(options: FakeExchangeOptions = {}): Promise<FakeExchange> {
  const symbols = [...(options.symbols ?? ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'])];
  const bySymbolId = new Map(symbols.map((s) => [marketId(s), s]));
  const listedSinceMs = options.listedSinceMs ?? Date.UTC(2017, 0, 1);
  let fixedNow = options.nowMs ?? null;
  let offsetMs = 0;
  const now = () => fixedNow ?? Date.now() + offsetMs;
  const requests: FakeRequest[] = [];
  let forming = true;
  const outages: { fromMs: number; toMs: number; mode: 'drop' | '503' }[] = [];
  const failures: number[] = [];
  let malformed = 0;
  const dropped: BarRule[] = [];
  const zeroed: BarRule[] = [];

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
    return status;
  };

  const exchangeInfo = () => ({
    timezone: 'UTC',
    serverTime: now(),
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
    exchangeFilters: [],
    symbols: symbols.map((symbol) => {
      const [base, quote] = symbol.split('/');
      return {
        symbol: marketId(symbol),
        status: 'TRADING',
        baseAsset: base,
        baseAssetPrecision: 8,
        quoteAsset: quote,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        orderTypes: ['LIMIT', 'MARKET'],
        icebergAllowed: true,
        ocoAllowed: true,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [
          {
            filterType: 'PRICE_FILTER',
            minPrice: '0.00000001',
            maxPrice: '1000000.00000000',
            tickSize: '0.00000001',
          },
          { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
          { filterType: 'NOTIONAL', minNotional: '5.00000000', maxNotional: '9000000.00000000' },
        ],
        permissions: [],
        permissionSets: [['SPOT']],
      };
    }),
  });

  /** Binance's kline row: open time, OHLCV as strings, close time, quote volume, trades, taker volumes. */
  const klineRow = (bar: Bar, timeframeMs: number) => [
    bar.ts,
    String(bar.open),
    String(bar.high),
    String(bar.low),
    String(bar.close),
    String(bar.volume),
    bar.ts + timeframeMs - 1,
    String(Number((bar.volume * bar.close).toFixed(8))),
    100,
    String(Number((bar.volume / 2).toFixed(8))),
    String(Number(((bar.volume / 2) * bar.close).toFixed(8))),
    '0',
  ];

  const klines = (res: ServerResponse, q: Record<string, string>): number => {
    const symbol = q['symbol'] === undefined ? undefined : bySymbolId.get(q['symbol']);
    if (q['symbol'] === undefined)
      return json(res, 400, {
        code: -1102,
        msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.",
      });
    if (symbol === undefined) return json(res, 400, { code: -1121, msg: 'Invalid symbol.' });
    const tf = INTERVAL_MS[q['interval'] ?? ''];
    if (tf === undefined) return json(res, 400, { code: -1120, msg: 'Invalid interval.' });
    const limit = Math.min(Math.max(Number(q['limit'] ?? 500) || 500, 1), 1000);
    const nowMs = now();
    const kListed = Math.ceil(listedSinceMs / tf);
    const kOpen = Math.floor(nowMs / tf); // the forming bar
    let kLast = forming ? kOpen : kOpen - 1;
    if (q['endTime'] !== undefined) kLast = Math.min(kLast, Math.floor(Number(q['endTime']) / tf));
    let kFirst: number;
    if (q['startTime'] !== undefined) kFirst = Math.max(kListed, Math.ceil(Number(q['startTime']) / tf));
    else kFirst = Math.max(kListed, kLast - limit + 1);
    kLast = Math.min(kLast, kFirst + limit - 1);
    const rows: unknown[] = [];
    for (let k = kFirst; k <= kLast; k++) {
      const ts = k * tf;
      if (active(dropped, symbol, ts, nowMs)) continue;
      let bar = k === kOpen ? formingBar(symbol, ts, tf, nowMs) : fakeBar(symbol, ts, tf);
      if (active(zeroed, symbol, ts, nowMs)) bar = { ...bar, close: 0, low: 0 };
      rows.push(klineRow(bar, tf));
    }
    return json(res, 200, rows);
  };

  const control = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const c = JSON.parse(body || '{}') as Record<string, unknown>;
    const ts = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : Number(v));
    const until = (v: unknown) => (v === undefined ? Number.POSITIVE_INFINITY : now() + Number(v) * 1000);
    switch (c['action']) {
      case 'formingCandle':
        forming = c['on'] !== false;
        break;
      case 'outage':
        outages.push({
          fromMs: now(),
          toMs: now() + Number(c['seconds'] ?? 60) * 1000,
          mode: c['mode'] === '503' ? '503' : 'drop',
        });
        break;
      case 'failNext':
        for (let i = 0; i < Number(c['count'] ?? 1); i++) failures.push(Number(c['status'] ?? 500));
        break;
      case 'malformedNext':
        malformed += Number(c['count'] ?? 1);
        break;
      case 'dropBar':
        dropped.push({ symbol: String(c['symbol']), ts: ts(c['ts']), untilMs: until(c['forSeconds']) });
        break;
      case 'zeroPrice':
        zeroed.push({ symbol: String(c['symbol']), ts: ts(c['ts']), untilMs: until(c['forSeconds']) });
        break;
      default:
        return json(res, 400, { error: `unknown action ${String(c['action'])}` });
    }
    return json(res, 200, { ok: true });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const atMs = now();
    const record = (outcome: number | 'dropped') =>
      requests.push({ path: url.pathname, query, atMs, outcome });
    if (url.pathname === '/_fake/control' && req.method === 'POST') return record(await control(req, res));
    const outage = outages.find((o) => atMs >= o.fromMs && atMs < o.toMs);
    if (outage?.mode === 'drop') {
      req.socket.destroy();
      return record('dropped');
    }
    if (outage?.mode === '503')
      return record(json(res, 503, '<html><body>503 Service Unavailable</body></html>'));
    switch (url.pathname) {
      case '/api/v3/ping':
        return record(json(res, 200, {}));
      case '/api/v3/time':
        return record(json(res, 200, { serverTime: atMs }));
      case '/api/v3/exchangeInfo':
        return record(json(res, 200, exchangeInfo()));
      case '/api/v3/klines': {
        if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
        const status = failures.shift();
        if (status === 429)
          return record(
            json(
              res,
              429,
              { code: -1003, msg: 'Too many requests; current limit is 6000 request weight per 1 MINUTE.' },
              { 'retry-after': '1' },
            ),
          );
        if (status !== undefined)
          return record(
            json(res, status, {
              code: -1000,
              msg: 'An unknown error occurred while processing the request.',
            }),
          );
        if (malformed > 0) {
          malformed--;
          return record(json(res, 200, '[[1704067200000,"42000.0","4215'));
        }
        return record(klines(res, query));
      }
      default:
        return record(json(res, 404, { code: -1, msg: `no such endpoint ${url.pathname}` }));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { code: -1, msg: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    symbols,
    now,
    setNow(ms) {
      if (fixedNow === null) offsetMs = ms - Date.now();
      else fixedNow = ms;
    },
    advance(ms) {
      if (fixedNow === null) offsetMs += ms;
      else fixedNow += ms;
    },
    requests,
    setFormingCandle(on) {
      forming = on;
    },
    outage(fromMs, toMs, mode = 'drop') {
      outages.push({ fromMs, toMs, mode });
    },
    failNext(count, status) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    malformedNext(count) {
      malformed += count;
    },
    dropBar(symbol, ts, untilMs = Number.POSITIVE_INFINITY) {
      dropped.push({ symbol, ts, untilMs });
    },
    zeroPrice(symbol, ts, untilMs = Number.POSITIVE_INFINITY) {
      zeroed.push({ symbol, ts, untilMs });
    },
    bar: fakeBar,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The dashboard page: wires the sections to the API and refreshes them every 5 seconds.
import { api } from './api.js';
import type {
  DeploymentResponse,
  EquityResponse,
  HealthResponse,
  LeaderboardResponse,
  Problem,
  StatusResponse,
  StudiesResponse,
  TradesPage,
  WorkersResponse,
} from './api-types.js';
import { byId, setText } from './dom.js';
import { duration, utcTime } from './format.js';
import { startPolling } from './poller.js';
import { createEquitySection } from './sections/equity.js';
import { createLeaderboard } from './sections/leaderboard.js';
import { createOverview } from './sections/overview.js';
import { createProblemsBanner } from './sections/problems.js';
import { createTimeline } from './sections/timeline.js';
import { createTrades } from './sections/trades.js';
import { createTrials } from './sections/trials.js';
import { createWorkers } from './sections/workers.js';

const POLL_MS = 5_000;
/** The large answers (equity, leaderboard, history) are fetched when the state changed, or at least this often. */
const HEAVY_EVERY_MS = 30_000;

const banner = createProblemsBanner(byId('problems'));
const overview = createOverview(byId('overview-cards'));
const equity = createEquitySection(byId('equity-chart'), byId('equity-caption'));
const leaderboard = createLeaderboard(
  byId('leaderboard-table').querySelector('tbody')!,
  byId('leaderboard-note'),
  byId('leaderboard-benchmarks'),
);
const trials = createTrials(
  byId('trial-chart'),
  byId<HTMLSelectElement>('study-select'),
  byId('trials-note'),
  byId('trials-table').querySelector('tbody')!,
);
const trades = createTrades(
  byId('round-trips-table').querySelector('tbody')!,
  byId('fills-table').querySelector('tbody')!,
  byId('trades-note'),
);
const workers = createWorkers(byId('workers-table').querySelector('tbody')!, byId('workers-note'));
const timeline = createTimeline(byId('timeline-list'), byId<HTMLInputElement>('timeline-all'));

let lastSignature = '';
let lastHeavyMs = 0;

type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Fills kept for the trades section: the round trips are built from these. */
const FILLS_FETCHED = 1000;

/** The last FILLS_FETCHED fills of trades.jsonl (the first request learns how many there are). */
async function lastFills(): Promise<TradesPage> {
  const head = await api.trades(0, 0);
  return api.trades(Math.max(0, head.total - FILLS_FETCHED), FILLS_FETCHED);
}

function header(status: StatusResponse | null, health: HealthResponse | null): void {
  const parts = status
    ? [
        status.root,
        status.mode ? `mode ${status.mode}` : null,
        `last bar ${utcTime(status.lastBarTs)}`,
        health ? `v${health.version}` : null,
      ]
    : ['workspace unavailable'];
  setText(byId('workspace'), parts.filter((p) => p !== null).join(' · '));
  const heartbeat = health?.heartbeatAgeSeconds ?? status?.heartbeatAgeSeconds ?? null;
  setText(
    byId('updated'),
    `updated ${new Date().toISOString().slice(11, 19)} UTC${heartbeat === null ? '' : ` · heartbeat ${duration(heartbeat)} ago`}`,
  );
}

async function refresh(): Promise<void> {
  const [health, status, deployment, studies, workerList] = await Promise.all([
    settle<HealthResponse>(api.health()),
    settle<StatusResponse>(api.status()),
    settle<DeploymentResponse>(api.deployment()),
    settle<StudiesResponse>(api.studies()),
    settle<WorkersResponse>(api.workers()),
  ]);
  const problems: Problem[] = [];
  const failed = (r: Settled<unknown>, path: string) => {
    if (!r.ok) problems.push({ file: path, error: r.error });
  };
  failed(health, 'api/health');
  failed(status, 'api/status');
  failed(deployment, 'api/deployment');
  failed(studies, 'api/studies');
  failed(workerList, 'api/workers');
  if (!health.ok && !status.ok && !deployment.ok && !studies.ok) {
    banner.show([], `${status.error}. Showing what was last loaded; retrying every ${POLL_MS / 1000} s.`);
    return;
  }
  const s = status.ok ? status.value : null;
  const d = deployment.ok ? deployment.value : null;
  if (health.ok) problems.push(...health.value.problems);
  if (s) problems.push(...s.problems);
  if (d) problems.push(...d.problems);
  header(s, health.ok ? health.value : null);

  const signature = JSON.stringify([
    s?.lastBarTs,
    s?.arena?.lastBarTs,
    s?.deployed?.modelId,
    s?.candidate,
    d?.state?.updatedAt,
  ]);
  const now = Date.now();
  if (signature !== lastSignature || now - lastHeavyMs >= HEAVY_EVERY_MS) {
    const [curve, board, history, fills] = await Promise.all([
      settle<EquityResponse>(api.equity()),
      settle<LeaderboardResponse>(api.leaderboard()),
      settle(timeline.load(api.history)),
      settle(lastFills()),
    ]);
    failed(curve, 'api/equity');
    failed(board, 'api/arena/leaderboard');
    failed(history, 'api/deployment/history');
    failed(fills, 'api/trades');
    if (curve.ok) equity.update(curve.value);
    if (board.ok) leaderboard.update(board.value);
    if (fills.ok) trades.update(fills.value);
    if (curve.ok && board.ok && history.ok) {
      lastSignature = signature;
      lastHeavyMs = now;
    }
  }
  if (s) overview.update(s, d);
  if (workerList.ok) {
    workers.update(workerList.value.workers);
    problems.push(...workerList.value.problems);
  }
  if (studies.ok) {
    const trialsResult = await settle(
      trials.update(studies.value.studies, d?.state?.current?.study ?? null, api.trials),
    );
    failed(trialsResult, 'api/studies/…/trials');
  }
  banner.show(problems, null);
}

startPolling(refresh, POLL_MS);

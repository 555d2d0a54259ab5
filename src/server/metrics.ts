// The Prometheus endpoint's registry: one per app (never prom-client's global one), filled at scrape time.
import { Counter, Gauge, Registry } from 'prom-client';
import type { MetricsSnapshot } from './metrics-snapshot.js';

/** The content type of the text exposition format. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

export interface AppMetrics {
  /** The exposition text for a snapshot (values unknown in it are left out, never reported as 0). */
  render(snapshot: MetricsSnapshot): Promise<string>;
}

/** A registry with every hybrid_trader_* metric; `version` is the info metric's label. */
export function createMetrics(version: string): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name: `hybrid_trader_${name}`, help, labelNames, registers });
  const counter = (name: string, help: string, labelNames: string[]) =>
    new Counter({ name: `hybrid_trader_${name}`, help, labelNames, registers });

  const info = gauge('info', 'Always 1; the version label says which hybrid-trader serves.', ['version']);
  const equity = gauge('paper_equity', "Paper trader's equity (quote currency), as positions_state.json.");
  const cash = gauge('paper_cash', "Paper trader's cash (quote currency).");
  const ret = gauge('paper_return_ratio', "Paper trader's return since before its first bar (0.01 = 1 %).");
  const drawdown = gauge('paper_drawdown_ratio', "Paper trader's drawdown from its running equity peak.");
  const positions = gauge('positions_value', "Value of the paper trader's positions (quote currency).");
  const members = gauge('arena_members', 'Active arena members by status.', ['status']);
  const queued = gauge('arena_queued', 'Models waiting for an arena slot.');
  const bars = counter('bars_processed_total', 'Frames applied, per service.', ['service']);
  const skipped = counter(
    'steps_skipped_total',
    'Steps whose policy output was refused (positions held): the paper trader, and each active arena member.',
    ['service', 'model'],
  );
  const lag = gauge('feed_lag_seconds', "Seconds from the last applied bar's close to now.");
  const heartbeat = gauge('heartbeat_age_seconds', "Seconds since the supervisor's heartbeat.");
  const supervisor = gauge('supervisor_running', '1 when a supervisor holds the workspace lock.');
  const trials = gauge('trials_completed', 'COMPLETE trials per study.', ['study']);
  const unavailable = gauge(
    'deployed_model_unavailable',
    '1 (labelled with the model) when the deployed model cannot be loaded and the paper trader holds its positions, else 0.',
    ['model'],
  );
  const workerLabels = ['study', 'worker', 'host', 'pid'];
  const workers = gauge(
    'workers',
    '`worker` processes recorded in the studies, by status (lost: stopped beating without a clean stop).',
    ['study', 'status'],
  );
  const workerTrials = gauge(
    'worker_trials',
    'Trials a worker finished, by how they ended (complete, pruned, failed).',
    [...workerLabels, 'state'],
  );
  const workerHeartbeat = gauge(
    'worker_heartbeat_age_seconds',
    "Seconds since a worker's last heartbeat (its record in the study).",
    workerLabels,
  );
  const workerRunning = gauge('worker_trials_running', 'Trials a worker runs now.', workerLabels);
  const problems = gauge('state_problems', 'State files that exist but cannot be read (see /api/health).');

  /** Sets a label-less gauge, or leaves it out of the output when the value is unknown. */
  const setOrOmit = (g: Gauge, value: number | null | undefined) => {
    g.reset();
    if (value === null || value === undefined || !Number.isFinite(value)) g.remove();
    else g.set(value);
  };

  return {
    async render(s) {
      info.reset();
      info.set({ version }, 1);
      setOrOmit(equity, s.paper?.equity);
      setOrOmit(cash, s.paper?.cash);
      setOrOmit(ret, s.paper?.returnRatio);
      setOrOmit(drawdown, s.paper?.drawdownRatio);
      setOrOmit(positions, s.paper?.positionsValue);
      members.reset();
      queued.reset();
      if (s.arena) {
        members.set({ status: 'evaluating' }, s.arena.evaluating);
        members.set({ status: 'qualified' }, s.arena.qualified);
        queued.set(s.arena.queued);
      } else queued.remove();
      // Counters hold what the state files say (they persist across restarts), so each scrape sets them anew.
      bars.reset();
      skipped.reset();
      if (s.paper) {
        bars.inc({ service: 'paper' }, s.paper.bars);
        skipped.inc({ service: 'paper' }, s.paper.refusedSteps);
      }
      if (s.arena) {
        bars.inc({ service: 'arena' }, s.arena.bars);
        for (const m of s.arena.refusedSteps) skipped.inc({ service: 'arena', model: m.modelId }, m.steps);
      }
      unavailable.reset();
      if (s.paper) {
        const modelId = s.paper.unavailableModelId;
        if (modelId === null) unavailable.set(0);
        else unavailable.set({ model: modelId }, 1);
      }
      setOrOmit(lag, s.feedLagSeconds);
      setOrOmit(heartbeat, s.heartbeatAgeSeconds);
      supervisor.set(s.supervisorRunning ? 1 : 0);
      trials.reset();
      for (const [study, n] of s.trialsCompleted) trials.set({ study }, n);
      for (const g of [workers, workerTrials, workerHeartbeat, workerRunning]) g.reset();
      const byStatus = new Map<string, number>();
      for (const w of s.workers) {
        const labels = { study: w.study, worker: w.id, host: w.host, pid: String(w.pid) };
        byStatus.set(`${w.study}\n${w.status}`, (byStatus.get(`${w.study}\n${w.status}`) ?? 0) + 1);
        workerTrials.set({ ...labels, state: 'complete' }, w.complete);
        workerTrials.set({ ...labels, state: 'pruned' }, w.pruned);
        workerTrials.set({ ...labels, state: 'failed' }, w.failed);
        workerHeartbeat.set(labels, w.lastHeartbeatAgeSeconds);
        workerRunning.set(labels, w.running.length);
      }
      for (const [key, n] of byStatus) {
        const [study, status] = key.split('\n') as [string, string];
        workers.set({ study, status }, n);
      }
      problems.set(s.problems.length);
      return registry.metrics();
    },
  };
}

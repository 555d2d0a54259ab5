// The JSON shapes the dashboard reads: the server's zod schemas' types (src/server/api-schemas.ts), never a
// copy. Types only (`import type` is erased): no zod reaches the bundle, and the schemas' modules are
// free of Node APIs, so this DOM-only program type-checks them without Node's types.

import type { HistoryEntry } from '../../lifecycle/deployer/history-entry.js';
import type { GateVerdict, RuleResult } from '../../lifecycle/promotion-check.js';
import type {
  ArenaResponse,
  BenchmarkRow,
  DeploymentResponse,
  EquityResponse,
  Health,
  HistoryPage,
  LeaderboardResponse,
  LeaderRow,
  Problem,
  StudiesResponse,
  StudySummaryBody,
  TradesPage,
  TrialBody,
  TrialsPage,
  WorkerBody,
  WorkersResponse,
  WorkspaceStatusBody,
} from '../api-schemas.js';

export type {
  ArenaResponse,
  BenchmarkRow,
  DeploymentResponse,
  EquityResponse,
  GateVerdict,
  HistoryEntry,
  LeaderboardResponse,
  LeaderRow,
  Problem,
  RuleResult,
  StudiesResponse,
  TradesPage,
  WorkersResponse,
};
export type HealthResponse = Health;
/** GET api/status: the WorkspaceStatus of `hybrid-trader status --json`. */
export type StatusResponse = WorkspaceStatusBody;
export type HistoryAction = HistoryEntry['action'];
/** A page of a journal (history.jsonl, trades.jsonl). */
export type Page<T> = Omit<HistoryPage, 'entries'> & { readonly entries: readonly T[] };
export type StudySummary = StudySummaryBody;
export type TrialRow = TrialBody;
export type TrialsResponse = TrialsPage;
export type MarkerKind = EquityResponse['markers'][number]['kind'];
export type WorkerRow = WorkerBody;

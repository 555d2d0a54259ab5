// The JSON shapes the dashboard reads, as src/server/CONTRACT.md defines them (only the fields it uses).
// Kept here rather than imported from the server's zod schemas so the browser code type-checks without
// Node's types; the contract document is the single source both sides follow.

export interface Problem {
  readonly file: string;
  readonly error: string;
}

export interface HealthResponse {
  readonly ok: boolean;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly heartbeatAgeSeconds: number | null;
  readonly lastBarTs: string | null;
  readonly supervisorPid: number | null;
  readonly problems: readonly Problem[];
}

/** GET api/status: src/runtime/workspace-status.ts's WorkspaceStatus. */
export interface StatusResponse {
  readonly root: string;
  readonly deployed: {
    readonly modelId: string;
    readonly trainingScore: number | null;
    readonly source: string;
    readonly deployedAt: string;
  } | null;
  readonly mode: string | null;
  readonly equity: number | null;
  readonly cash: number | null;
  readonly positions: readonly {
    readonly symbol: string;
    readonly quantity: number;
    readonly value: number;
  }[];
  readonly lastBarTs: string | null;
  readonly arena: {
    readonly members: number;
    readonly queued: number;
    readonly leader: string | null;
    readonly lastBarTs: string | null;
  } | null;
  readonly candidate: {
    readonly modelId: string;
    readonly excessReturnPct: number;
    readonly hours: number;
  } | null;
  readonly heartbeatAgeSeconds: number | null;
  readonly problems: readonly Problem[];
}

export interface DeploymentResponse {
  readonly state: {
    readonly mode: string;
    readonly current: {
      readonly modelId: string;
      readonly study: string;
      readonly trialNumber: number | null;
      readonly trainingScore: number | null;
      readonly deployedAt: string;
      readonly source: string;
    } | null;
    readonly updatedAt: string;
  } | null;
  readonly problems: readonly Problem[];
}

export type HistoryAction =
  | 'deploy'
  | 'promote'
  | 'refuse'
  | 'skip'
  | 'offer'
  | 'remove'
  | 'rescore'
  | 'manual';

export interface HistoryEntry {
  readonly cycleTs: number;
  readonly at: string;
  readonly action: HistoryAction;
  readonly modelId: string | null;
  readonly trialNumber: number | null;
  readonly reason: string;
}

export interface Page<T> {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly entries: readonly T[];
}

export interface RuleResult {
  readonly rule: string;
  readonly threshold: number;
  readonly value: number | null;
  readonly passed: boolean;
  readonly detail?: Readonly<Record<string, number | string | boolean | null>>;
}

export interface GateVerdict {
  readonly qualifies: boolean;
  readonly rules: readonly RuleResult[];
}

export interface LeaderRow {
  readonly rank: number;
  readonly modelId: string;
  readonly trialNumber: number | null;
  readonly role: 'champion-shadow' | 'challenger';
  readonly status: string;
  readonly hours: number;
  readonly returnPct: number | null;
  readonly paperReturnPct: number | null;
  readonly excessReturnPct: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly maxDrawdownPct: number | null;
  readonly trades: number;
  readonly gate: GateVerdict | null;
}

export interface LeaderboardResponse {
  readonly text: string | null;
  readonly rows: readonly LeaderRow[];
}

export interface StudySummary {
  readonly name: string;
  readonly direction: 'maximize' | 'minimize';
  readonly trials: number;
  readonly complete: number;
  readonly best: { readonly number: number; readonly value: number } | null;
}

export interface StudiesResponse {
  readonly studies: readonly StudySummary[];
}

export interface TrialRow {
  readonly number: number;
  readonly state: string;
  readonly value: number | null;
  readonly datetimeStart: string | null;
  readonly datetimeComplete: string | null;
}

export interface TrialsResponse {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly trials: readonly TrialRow[];
}

export type MarkerKind = 'deploy' | 'promote' | 'manual' | 'refuse';

export interface EquityResponse {
  readonly paper: { readonly ts: readonly number[]; readonly equity: readonly number[] };
  readonly models: readonly {
    readonly modelId: string;
    readonly role: string;
    readonly status: string;
    readonly ts: readonly number[];
    readonly equity: readonly number[];
  }[];
  readonly benchmarks: readonly {
    readonly name: string;
    readonly ts: readonly number[];
    readonly equity: readonly number[];
  }[];
  readonly markers: readonly {
    readonly ts: number;
    readonly kind: MarkerKind;
    readonly modelId: string | null;
    readonly label: string;
  }[];
}

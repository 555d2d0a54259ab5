// Reads the server's JSON API. URLs are relative ("api/..."), so the page also works behind a proxy path.
import type {
  DeploymentResponse,
  EquityResponse,
  HealthResponse,
  HistoryEntry,
  LeaderboardResponse,
  Page,
  StatusResponse,
  StudiesResponse,
  TradesPage,
  TrialsResponse,
  WorkersResponse,
} from './api-types.js';

const TIMEOUT_MS = 15_000;

/** A request that failed: the path and what went wrong, for the problems banner. */
export class ApiError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

async function getJson<T>(path: string): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(path, {
      signal: controller.signal,
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new ApiError(path, `HTTP ${response.status}${body ? ` ${body.slice(0, 200)}` : ''}`);
    }
    return (await response.json()) as T;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(path, error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

export const api = {
  health: () => getJson<HealthResponse>('api/health'),
  status: () => getJson<StatusResponse>('api/status'),
  deployment: () => getJson<DeploymentResponse>('api/deployment'),
  history: (offset: number, limit: number) =>
    getJson<Page<HistoryEntry>>(`api/deployment/history?offset=${offset}&limit=${limit}`),
  leaderboard: () => getJson<LeaderboardResponse>('api/arena/leaderboard'),
  equity: () => getJson<EquityResponse>('api/equity?limit=5000'),
  studies: () => getJson<StudiesResponse>('api/studies'),
  workers: () => getJson<WorkersResponse>('api/workers'),
  trades: (offset: number, limit: number) =>
    getJson<TradesPage>(`api/trades?offset=${offset}&limit=${limit}`),
  trials: (study: string, offset: number, limit: number) =>
    getJson<TrialsResponse>(
      `api/studies/${encodeURIComponent(study)}/trials?offset=${offset}&limit=${limit}`,
    ),
};

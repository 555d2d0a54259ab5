// The fault-injection test's switches: HYBRID_TRADER_FAULT (crash, tear, full or read-only disk at durable
// operation N) and HYBRID_TRADER_FAULT_TRACE (a file receiving every durable operation, one per line).
import { appendFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { configureFaults, type FaultPlan, parseFaultPlan } from '../state/index.js';

export const FAULT_ENV = 'HYBRID_TRADER_FAULT';
export const FAULT_TRACE_ENV = 'HYBRID_TRADER_FAULT_TRACE';

/**
 * Applies the fault-injection variables, if set (tests only: an operator never sets them). The trace is
 * written when the process exits normally; each line is `N op path`. Returns the plan, for worker threads.
 */
export function configureFaultsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): FaultPlan | null {
  const text = env[FAULT_ENV];
  const tracePath = env[FAULT_TRACE_ENV];
  if (!text && !tracePath) return null;
  let plan: FaultPlan | null = null;
  if (text) {
    try {
      plan = parseFaultPlan(text);
    } catch (error) {
      throw new ConfigError('FAULT_PLAN_INVALID', `${FAULT_ENV}: ${(error as Error).message}`);
    }
  }
  const lines: string[] = [];
  const worker = plan?.thread === 'worker';
  configureFaults({
    plan: worker ? null : plan,
    tracer: tracePath ? (n, op, path) => lines.push(`${n} ${op} ${path}\n`) : null,
    workers: { plan: worker ? plan : null, tracePath: tracePath || null },
  });
  if (tracePath) process.on('exit', () => appendFileSync(tracePath, lines.join('')));
  return plan;
}

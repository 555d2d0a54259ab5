// Decides whether tests needing an external service (python3-optuna, chromium, ...) run, skip, or fail.

/** Set to 1 (CI) to turn a missing service into a failure instead of a skip. */
export const REQUIRE_SERVICES_ENV = 'HYBRID_TRADER_REQUIRE_SERVICES';

const decided = new Map<string, boolean>();

/**
 * Probes a service once per name and test file. Returns true when it is available. When it is not,
 * prints why the dependent tests are skipped and returns false, or, with HYBRID_TRADER_REQUIRE_SERVICES=1,
 * throws so the suite fails. Use as `describe.skipIf(!serviceAvailable('python3-optuna', probe))`.
 * `probe` may return false or throw; a thrown error's message becomes part of the reason.
 */
export function serviceAvailable(name: string, probe: () => boolean): boolean {
  const known = decided.get(name);
  if (known !== undefined) return known;
  let available = false;
  let detail = '';
  try {
    available = probe();
  } catch (error) {
    detail = `: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  if (!available) {
    const reason = `${name} is not available${detail}`;
    if (process.env[REQUIRE_SERVICES_ENV] === '1') {
      throw new Error(`${reason}, and ${REQUIRE_SERVICES_ENV}=1 requires it`);
    }
    console.warn(`[skip] tests needing ${reason} (set ${REQUIRE_SERVICES_ENV}=1 to make this a failure)`);
  }
  decided.set(name, available);
  return available;
}

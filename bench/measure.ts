// Timing helpers for the benchmarks: warm up, repeat, report the median.
export interface Measurement {
  /** Median seconds per run. */
  seconds: number;
  /** Runs timed (after warm-up). */
  runs: number;
}

/** Runs `fn` `warmup` times untimed, then times it until `minSeconds` have passed (at least `minRuns`). */
export function measure(fn: () => unknown, { warmup = 3, minRuns = 5, minSeconds = 1 } = {}): Measurement {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = process.hrtime.bigint();
  while (times.length < minRuns || Number(process.hrtime.bigint() - start) / 1e9 < minSeconds) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)]!, runs: times.length };
}

/** 12345678 -> "12.3 M". */
export function si(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(1);
}

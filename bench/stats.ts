/** Summary statistics for benchmark samples. Pure; no timing of their own. */

/**
 * The q-th quantile (0..1) by linear interpolation between closest ranks, as numpy's default.
 * NaN for no samples.
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const clamped = Math.min(1, Math.max(0, q));
  const position = clamped * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower] ?? Number.NaN;
  const b = sorted[upper] ?? a;
  return a + (b - a) * (position - lower);
}

/** The median; the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

/** p50, p95 and p99 of one run's latencies. */
export function latencySummary(samples: readonly number[]): LatencySummary {
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), p99: quantile(samples, 0.99), n: samples.length };
}

/**
 * Combines the summaries of repeated runs: each percentile is the median of that percentile
 * over the runs, so one noisy run does not move the figure.
 */
export function medianOfSummaries(runs: readonly LatencySummary[]): LatencySummary {
  return {
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    n: runs.reduce((n, r) => n + r.n, 0),
  };
}

/** a / b, or NaN when b is zero or either is not a number. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

/**
 * Paced mutations or a bulk operation? Paced calls cost throttle points (a mutation costs 10), run
 * only as fast as the bucket refills, and each takes a round trip. A bulk mutation costs a handful
 * of calls but has a fixed time (staged upload, run, polling, reading results back). The app picks
 * whichever finishes first, from constants measured by bench/tags.bench.ts, not guessed.
 */
export const MUTATION_COST = 10;
export const STANDARD_THROTTLE = { maximumAvailable: 2000, restoreRate: 100 } as const;

export interface ThrottleBudget {
  /** Points available now (a full bucket if unknown). */
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export interface WriteTimings {
  /** Wall time of a small bulk mutation, end to end. */
  bulkSeconds: number;
  /** Wall time of one paced mutation when the bucket is not the limit (round trip + ledger write). */
  callSeconds: number;
}

/**
 * Measured against the stand-in by `npm run bench -- tags` (2 shared cores, SQLite): small bulk
 * mutations took 0.25–0.45 s, a paced call 30 ms. Re-measure when the environment changes.
 */
export const MEASURED_WRITE_TIMINGS: WriteTimings = { bulkSeconds: 0.45, callSeconds: 0.03 };

export type WriteStrategy = "paced" | "bulk";
export const WRITE_STRATEGIES: readonly WriteStrategy[] = ["paced", "bulk"];

const fullStandardBucket: ThrottleBudget = {
  currentlyAvailable: STANDARD_THROTTLE.maximumAvailable,
  restoreRate: STANDARD_THROTTLE.restoreRate,
};

/** Seconds paced mutations need: round trips, or the bucket then its restore rate if slower. */
export function estimatePacedSeconds(
  mutations: number,
  budget: ThrottleBudget = fullStandardBucket,
  callSeconds = MEASURED_WRITE_TIMINGS.callSeconds,
) {
  const throttled =
    Math.max(0, mutations * MUTATION_COST - budget.currentlyAvailable) / budget.restoreRate;
  return Math.max(mutations * callSeconds, throttled);
}

export function chooseWriteStrategy(
  mutations: number,
  budget: ThrottleBudget = fullStandardBucket,
  timings: WriteTimings = MEASURED_WRITE_TIMINGS,
): WriteStrategy {
  if (mutations === 0) return "paced";
  return estimatePacedSeconds(mutations, budget, timings.callSeconds) > timings.bulkSeconds
    ? "bulk"
    : "paced";
}

/** The smallest mutation count for which bulk is chosen (the crossover), by binary search. */
export function bulkThreshold(
  budget: ThrottleBudget = fullStandardBucket,
  timings: WriteTimings = MEASURED_WRITE_TIMINGS,
) {
  let low = 1;
  let high = 1;
  while (chooseWriteStrategy(high, budget, timings) === "paced") high *= 2;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (chooseWriteStrategy(middle, budget, timings) === "bulk") high = middle;
    else low = middle + 1;
  }
  return low;
}

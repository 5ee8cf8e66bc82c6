/**
 * Paced mutations or a bulk operation? Paced calls cost throttle points (a mutation costs 10) and
 * run only as fast as the bucket refills; a bulk mutation costs a handful of calls but has a fixed
 * latency (staged upload, queueing, polling, reading results back). Pick whichever finishes first.
 * BULK_OVERHEAD_SECONDS is measured by bench/tags.bench.ts against the stand-in, not guessed.
 */
export const MUTATION_COST = 10;
export const BULK_OVERHEAD_SECONDS = 2;
export const STANDARD_THROTTLE = { maximumAvailable: 2000, restoreRate: 100 } as const;

export interface ThrottleBudget {
  /** Points available now (a full bucket if unknown). */
  currentlyAvailable: number;
  /** Points restored per second. */
  restoreRate: number;
}

export type WriteStrategy = "paced" | "bulk";

/** Seconds paced mutations need at the given budget (the bucket first, then the restore rate). */
export function estimatePacedSeconds(
  mutations: number,
  budget: ThrottleBudget,
  cost = MUTATION_COST,
) {
  const points = mutations * cost;
  return Math.max(0, points - budget.currentlyAvailable) / budget.restoreRate;
}

export function chooseWriteStrategy(
  mutations: number,
  budget: ThrottleBudget = {
    currentlyAvailable: STANDARD_THROTTLE.maximumAvailable,
    restoreRate: STANDARD_THROTTLE.restoreRate,
  },
  bulkOverheadSeconds = BULK_OVERHEAD_SECONDS,
): WriteStrategy {
  if (mutations === 0) return "paced";
  return estimatePacedSeconds(mutations, budget) > bulkOverheadSeconds ? "bulk" : "paced";
}

/** The smallest mutation count for which bulk is chosen at this budget (the crossover). */
export function bulkThreshold(budget: ThrottleBudget, bulkOverheadSeconds = BULK_OVERHEAD_SECONDS) {
  return (
    Math.floor(
      (bulkOverheadSeconds * budget.restoreRate + budget.currentlyAvailable) / MUTATION_COST,
    ) + 1
  );
}

export const WRITE_STRATEGIES: readonly WriteStrategy[] = ["paced", "bulk"];

/**
 * How overdue a customer is: time since the last purchase day against the usual interval between
 * purchase days. Read by both the models' output and the explainable heuristic.
 */
import type { CustomerSummary } from "./summary";

/**
 * Time since the last purchase day against the usual interval: a customer's own mean gap
 * between purchase days, t_x / x, or for one-time buyers the median of the repeat buyers' gaps.
 */
export function overdueMeasure(summaries: readonly CustomerSummary[]) {
  const typicalInterval = typicalRepeatInterval(summaries);
  return (summary: CustomerSummary): number | null => {
    const interval = usualInterval(summary, typicalInterval);
    return interval === null ? null : summary.T - summary.recency - interval;
  };
}

export function usualInterval(summary: CustomerSummary, typicalInterval: number | null) {
  return summary.frequency > 0 ? summary.recency / summary.frequency : typicalInterval;
}

/** The median of t_x / x over customers with repeats (the lower middle one of an even count). */
export function typicalRepeatInterval(summaries: readonly CustomerSummary[]): number | null {
  const repeaters = summaries.filter((s) => s.frequency > 0);
  // A typed array sorts numerically without a comparator call per pair.
  const intervals = Float64Array.from(repeaters, (s) => s.recency / s.frequency).sort();
  return intervals.length === 0 ? null : intervals[Math.floor((intervals.length - 1) / 2)];
}

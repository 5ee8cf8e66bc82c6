/**
 * The explainable heuristic used where the models do not beat the naive baseline or history is
 * too short (PRODUCT.md §9): days since the last order against the customer's usual interval.
 * Every number can be said in one sentence to a merchant:
 *
 * - usual interval: the customer's mean gap between purchase days (t_x / x); for one-time buyers
 *   the shop's median gap.
 * - likelihood to buy soon (in `pAlive`): 1 while the usual interval has not passed, then
 *   interval / time since the last purchase ("every 30 days, last 90 days ago: 1/3"); for
 *   one-time buyers also times the share of the shop's customers who ever came back.
 * - expected purchases: that likelihood × the purchases the usual pace gives in the horizon.
 * - order value: the customer's own mean purchase-day value; spend: the two multiplied.
 */
import { validateHistory } from "./bg-nbd-likelihood";
import { overdueMeasure, typicalRepeatInterval, usualInterval } from "./overdue";
import type { CustomerPrediction } from "./scoring";
import type { CustomerSummary } from "./summary";

export function scoreWithHeuristic(
  summaries: readonly CustomerSummary[],
  horizon: number,
): CustomerPrediction[] {
  if (!(horizon >= 0)) throw new RangeError(`horizon must be 0 or more, got ${horizon}`);
  summaries.forEach((s) => validateHistory(s, `customer ${s.customerId}`));
  const typicalInterval = typicalRepeatInterval(summaries);
  const overdue = overdueMeasure(summaries);
  const returning = summaries.filter((s) => s.frequency > 0).length;
  const returningShare = summaries.length ? returning / summaries.length : 0;
  return summaries.map((summary) => {
    const interval = usualInterval(summary, typicalInterval);
    const since = summary.T - summary.recency;
    const likelihood =
      interval === null || !(interval > 0)
        ? 0
        : (since <= interval ? 1 : interval / since) * (summary.frequency > 0 ? 1 : returningShare);
    const expected = likelihood > 0 ? (likelihood * horizon) / interval! : 0;
    return {
      customerId: summary.customerId,
      expectedPurchases: expected,
      pAlive: likelihood,
      expectedOrderValue: summary.averageValue,
      predictedSpend: expected * summary.averageValue,
      daysOverdue: overdue(summary),
    };
  });
}

/**
 * Per-customer predictions from the fitted models (PRODUCT.md §9), in the shape the explainable
 * heuristic gives too, so either can fill the same fields.
 */
import { fitBgNbd, type BgNbdFit } from "./bg-nbd-fit";
import { validateHistory } from "./bg-nbd-likelihood";
import { probabilityAlive, purchasesIfAlive } from "./bg-nbd-predict";
import { expectedOrderValue, fitGammaGamma, type GammaGammaFit } from "./gamma-gamma";
import { overdueMeasure } from "./overdue";
import type { CustomerSummary } from "./summary";

export interface CustomerPrediction {
  customerId: string;
  /** Expected purchase days in the next `horizon` (the summaries' time unit: days in the app). */
  expectedPurchases: number;
  /** Model: probability the customer is still a customer. Heuristic: likelihood to buy soon. */
  pAlive: number;
  /** Expected value of one future purchase day (the purchases' money unit). */
  expectedOrderValue: number;
  /** expectedPurchases × expectedOrderValue: spend over the horizon, not discounted. */
  predictedSpend: number;
  /**
   * Time since the last purchase day minus the customer's usual interval between purchase days
   * (the shop's typical interval for one-time buyers): above 0, overdue. Null when no customer
   * of the shop has bought twice.
   */
  daysOverdue: number | null;
}

export interface ModelFits {
  bgNbd: BgNbdFit;
  gammaGamma: GammaGammaFit;
}

/** Both models fitted to the same summaries. */
export function fitModels(summaries: readonly CustomerSummary[]): ModelFits {
  return { bgNbd: fitBgNbd(summaries), gammaGamma: fitGammaGamma(summaries) };
}

/**
 * Scores every summary with the fitted models. Without a spend model (too few repeat buyers),
 * each customer's own average purchase-day value stands in for the expected order value.
 */
export function scoreWithModels(
  fits: ModelFits,
  summaries: readonly CustomerSummary[],
  horizon: number,
): CustomerPrediction[] {
  const { bgNbd, gammaGamma } = fits;
  if (!bgNbd.ok) throw new Error(`BG/NBD was not fitted: ${bgNbd.message}`);
  if (!(horizon >= 0)) throw new RangeError(`horizon must be 0 or more, got ${horizon}`);
  summaries.forEach((s) => validateHistory(s, `customer ${s.customerId}`));
  const overdue = overdueMeasure(summaries);
  // E[Y | alive] depends on (x, T) only: shops have far fewer distinct pairs than customers.
  const ifAlive = new Map<number, Map<number, number>>();
  return summaries.map((summary) => {
    let byT = ifAlive.get(summary.frequency);
    if (!byT) ifAlive.set(summary.frequency, (byT = new Map()));
    let purchases = byT.get(summary.T);
    if (purchases === undefined) {
      purchases =
        horizon === 0 ? 0 : purchasesIfAlive(bgNbd.params, summary.frequency, summary.T, horizon);
      byT.set(summary.T, purchases);
    }
    const pAlive = probabilityAlive(bgNbd.params, summary);
    const orderValue = gammaGamma.ok
      ? expectedOrderValue(gammaGamma, summary)
      : summary.averageValue;
    const expected = pAlive * purchases;
    return {
      customerId: summary.customerId,
      expectedPurchases: expected,
      pAlive,
      expectedOrderValue: orderValue,
      predictedSpend: expected * orderValue,
      daysOverdue: overdue(summary),
    };
  });
}

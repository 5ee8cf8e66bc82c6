/**
 * How well one method's predicted purchase counts matched what customers then did: the numbers
 * a merchant is shown for the model, the naive baseline and the heuristic side by side.
 */

export interface MethodScore {
  /** Mean absolute error per customer, in purchase days. */
  meanAbsoluteError: number;
  /** Pearson correlation of predicted and actual; null when either does not vary. */
  correlation: number | null;
  predictedTotal: number;
  actualTotal: number;
  /**
   * Share of the customers who bought in the holdout found in the fifth of customers with the
   * highest predictions; null when nobody bought. Ties at the cut share its remaining places
   * equally, so a method predicting the same for everyone finds a fifth of the buyers — what a
   * random pick would.
   */
  topFifthBuyerShare: number | null;
}

/** predicted[i] and actual[i] belong to the same customer. */
export function scoreMethod(predicted: readonly number[], actual: readonly number[]): MethodScore {
  if (predicted.length !== actual.length)
    throw new RangeError(`${predicted.length} predictions for ${actual.length} customers`);
  const n = actual.length;
  let absoluteError = 0;
  for (let i = 0; i < n; i++) absoluteError += Math.abs(predicted[i] - actual[i]);
  return {
    meanAbsoluteError: n ? absoluteError / n : 0,
    correlation: pearson(predicted, actual),
    predictedTotal: sum(predicted),
    actualTotal: sum(actual),
    topFifthBuyerShare: topFifthBuyerShare(predicted, actual),
  };
}

export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const meanX = sum(xs) / n;
  const meanY = sum(ys) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - meanX;
    const dy = ys[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

function topFifthBuyerShare(predicted: readonly number[], actual: readonly number[]) {
  const buyers = actual.filter((a) => a > 0).length;
  if (buyers === 0) return null;
  const order = predicted.map((_, i) => i).sort((i, j) => predicted[j] - predicted[i]);
  let places = predicted.length / 5;
  let found = 0;
  for (let start = 0; start < order.length && places > 0;) {
    // One run of tied predictions: all in if it fits, else each gets an equal share of what is left.
    let end = start;
    while (end < order.length && predicted[order[end]] === predicted[order[start]]) end++;
    const share = Math.min(1, places / (end - start));
    for (let k = start; k < end; k++) if (actual[order[k]] > 0) found += share;
    places -= end - start;
    start = end;
  }
  return found / buyers;
}

function sum(values: readonly number[]) {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/**
 * Predictions (PRODUCT.md §9): BG/NBD and Gamma-Gamma fitted per shop by maximum likelihood, a
 * backtest against the naive baseline, and the explainable heuristic where the models lose.
 * Plain data in, plain data out; time in days (the summaries' unit), money in the purchases' unit.
 *
 * A shop's refresh, given its counted purchases per customer (PRODUCT.md §1) and an as-of:
 *
 *   const purchases: Map<customerId, Purchase[]>   // { at: processedAt, value: total }
 *   const backtest = runBacktest(purchases, { asOf, horizonDays: 90, timeZone });
 *   const summaries = summarizeCustomers(purchases, { calibrationEnd: asOf, timeZone });
 *   const fits = fitModels(summaries);               // BgNbdFit / GammaGammaFit: ok or why not
 *   const choice = chooseMethod(backtest, fits);     // { method: "model" | "heuristic", reasons }
 *   const in90 = predictWith(choice, fits, summaries, 90);   // CustomerPrediction per customer:
 *   const in365 = predictWith(choice, fits, summaries, 365); //   expectedPurchases, pAlive,
 *                                                             //   expectedOrderValue,
 *                                                             //   predictedSpend, daysOverdue
 *
 * runPredictions does all of that for a shop's refresh (the stored fields, by the chosen method);
 * explainPrediction says each stored number in a sentence.
 *
 * Bad input (a purchase without a date, a negative value, an inconsistent summary) throws a
 * RangeError; data the models cannot learn from gives { ok: false, reason, message }, never NaN.
 */
export {
  holdoutPurchaseDays,
  naiveBaseline,
  runBacktest,
  type BacktestOptions,
  type BacktestReport,
} from "./backtest";
export { scoreMethod, pearson, type MethodScore } from "./backtest-metrics";
export { fitBgNbd, MIN_CUSTOMERS_TO_FIT, type BgNbdFit, type CannotFitReason } from "./bg-nbd-fit";
export type { BgNbdParams, RepeatHistory } from "./bg-nbd-likelihood";
export { expectedPurchases, probabilityAlive } from "./bg-nbd-predict";
export { chooseMethod, predictWith, CHOICE_THRESHOLDS, type MethodChoice } from "./choose-method";
export {
  expectedOrderValue,
  fitGammaGamma,
  MIN_SPENDERS_TO_FIT,
  type GammaGammaFit,
  type GammaGammaParams,
  type SpendHistory,
} from "./gamma-gamma";
export {
  explainPrediction,
  type PredictionContext,
  type PredictionKey,
  type PredictionLine,
} from "./explain";
export { scoreWithHeuristic } from "./heuristic";
export {
  BACKTEST_DAYS,
  HORIZONS,
  runPredictions,
  type PredictionRun,
  type RunOptions,
  type StoredPrediction,
} from "./refresh";
export { fitModels, scoreWithModels, type CustomerPrediction, type ModelFits } from "./scoring";
export {
  summarizeCustomer,
  summarizeCustomers,
  type CustomerSummary,
  type Purchase,
  type SummaryOptions,
} from "./summary";

/**
 * One shop's refresh (PRODUCT.md §9), from its counted purchases to what the app stores: the
 * backtest on the last BACKTEST_DAYS, the models fitted on the whole history, the method chosen
 * and why, and every customer's predictions by that method over 30, 90 and 365 days.
 */
import { runBacktest, type BacktestReport } from "./backtest";
import { chooseMethod, predictWith, type MethodChoice } from "./choose-method";
import { typicalRepeatInterval } from "./overdue";
import { fitModels, type CustomerPrediction, type ModelFits } from "./scoring";
import { summarizeCustomers, type Purchase } from "./summary";

/** The holdout of the refresh's backtest: the last quarter of a year. */
export const BACKTEST_DAYS = 90;
/** The horizons every customer is predicted over, in days. */
export const HORIZONS = [30, 90, 365] as const;

/** One customer's stored predictions; money in the purchases' unit (minor units in the app). */
export interface StoredPrediction {
  customerId: string;
  method: MethodChoice["method"];
  /** The summary the predictions come from (days): repeat purchase days, t_x and T. */
  frequency: number;
  recency: number;
  T: number;
  /** Mean value of the repeat purchase days (what the spend model reads); 0 without repeats. */
  monetary: number;
  /** Mean value of all purchase days, the first included (the heuristic's order value). */
  averageValue: number;
  expectedOrders30d: number;
  expectedOrders90d: number;
  expectedOrders365d: number;
  /** Model: probability the customer is still a customer. Heuristic: likelihood to buy soon. */
  pAlive: number;
  expectedOrderValue: number;
  predictedSpend365d: number;
  daysOverdue: number | null;
  /** The customer's latest purchase the predictions read: they go stale with a newer one. */
  lastOrderAt: Date;
}

export interface PredictionRun extends MethodChoice {
  asOf: Date;
  timeZone: string;
  /** The models fitted on the whole history up to as-of (the ones the model method uses). */
  fits: ModelFits;
  backtest: BacktestReport;
  /** The shop's median interval between purchase days (the heuristic's for one-time buyers). */
  typicalIntervalDays: number | null;
  /** Share of the shop's buyers who bought on a second day (the heuristic's one-time factor). */
  returningShare: number;
  predictions: StoredPrediction[];
}

export interface RunOptions {
  asOf: Date;
  /** The shop's IANA time zone: its calendar days are the purchase days. */
  timeZone: string;
  backtestDays?: number;
  /**
   * Awaited between the steps (backtest, summaries, fits, each horizon), each up to a second of
   * computation on a large shop: a server passes one that lets other work in.
   */
  pause?: () => Promise<void>;
}

/** The whole refresh; rejects with a RangeError on unreadable purchases (as the summaries do). */
export async function runPredictions(
  purchasesByCustomer: ReadonlyMap<string, readonly Purchase[]>,
  options: RunOptions,
): Promise<PredictionRun> {
  const { asOf, timeZone, pause = async () => {} } = options;
  const backtest = runBacktest(purchasesByCustomer, {
    asOf,
    horizonDays: options.backtestDays ?? BACKTEST_DAYS,
    timeZone,
  });
  await pause();
  const summaries = summarizeCustomers(purchasesByCustomer, { calibrationEnd: asOf, timeZone });
  await pause();
  const fits = fitModels(summaries);
  const choice = chooseMethod(backtest, fits);
  const byHorizon: CustomerPrediction[][] = [];
  for (const days of HORIZONS) {
    await pause();
    byHorizon.push(predictWith(choice, fits, summaries, days));
  }
  const [in30, in90, in365] = byHorizon;
  const last = lastPurchases(purchasesByCustomer, asOf);
  const returning = summaries.filter((summary) => summary.frequency > 0).length;
  return {
    ...choice,
    asOf,
    timeZone,
    fits,
    backtest,
    typicalIntervalDays: typicalRepeatInterval(summaries),
    returningShare: summaries.length ? returning / summaries.length : 0,
    predictions: summaries.map((summary, index) => ({
      customerId: summary.customerId,
      method: choice.method,
      frequency: summary.frequency,
      recency: summary.recency,
      T: summary.T,
      monetary: summary.monetary,
      averageValue: summary.averageValue,
      expectedOrders30d: in30[index].expectedPurchases,
      expectedOrders90d: in90[index].expectedPurchases,
      expectedOrders365d: in365[index].expectedPurchases,
      pAlive: in365[index].pAlive,
      expectedOrderValue: in365[index].expectedOrderValue,
      predictedSpend365d: in365[index].predictedSpend,
      daysOverdue: in365[index].daysOverdue,
      lastOrderAt: last.get(summary.customerId)!,
    })),
  };
}

/** Each customer's latest purchase at or before as-of. */
function lastPurchases(
  purchasesByCustomer: ReadonlyMap<string, readonly Purchase[]>,
  asOf: Date,
): Map<string, Date> {
  const end = asOf.getTime();
  const last = new Map<string, Date>();
  for (const [customerId, purchases] of purchasesByCustomer) {
    let latest: Date | null = null;
    for (const { at } of purchases)
      if (at.getTime() <= end && (!latest || at > latest)) latest = at;
    if (latest) last.set(customerId, latest);
  }
  return last;
}

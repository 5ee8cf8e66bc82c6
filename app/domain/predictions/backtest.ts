/**
 * The per-shop backtest (PRODUCT.md §9): fit on everything up to the last N days, predict those
 * N days, and compare with what customers did — the models against the naive baseline and the
 * heuristic. Customers whose first purchase falls in the holdout are not part of it: nothing was
 * known about them at the calibration end.
 */
import { scoreMethod, type MethodScore } from "./backtest-metrics";
import { scoreWithHeuristic } from "./heuristic";
import { fitModels, scoreWithModels, type ModelFits } from "./scoring";
import { calendarDays, summarizeCustomers, type CustomerSummary, type Purchase } from "./summary";

const DAY_MS = 86_400_000;

export interface BacktestReport {
  calibrationEnd: Date;
  asOf: Date;
  horizonDays: number;
  /** Customers with a purchase by the calibration end. */
  customers: number;
  /** Of those, how many bought again (on a second day) by the calibration end. */
  repeatCustomers: number;
  /** Of those, how many bought in the holdout. */
  holdoutBuyers: number;
  /** Days from the shop's first purchase to the calibration end. */
  calibrationDays: number;
  /** The models fitted on the calibration period. */
  fits: ModelFits;
  /** Null when BG/NBD could not be fitted (fits.bgNbd says why). */
  model: MethodScore | null;
  /** Each customer's past rate continued: frequency / T × horizon (0 when T is 0). */
  baseline: MethodScore;
  heuristic: MethodScore;
}

export interface BacktestOptions {
  /** The end of the holdout: usually now. */
  asOf: Date;
  /** Length of the holdout; the calibration period is everything before it. */
  horizonDays: number;
  /** The shop's IANA time zone, whose calendar days count as purchase days; UTC by default. */
  timeZone?: string;
}

export function runBacktest(
  purchasesByCustomer: ReadonlyMap<string, readonly Purchase[]>,
  options: BacktestOptions,
): BacktestReport {
  const { asOf, horizonDays, timeZone = "UTC" } = options;
  if (!(horizonDays > 0)) throw new RangeError(`horizonDays must be positive, got ${horizonDays}`);
  const calibrationEnd = new Date(asOf.getTime() - horizonDays * DAY_MS);
  const summaries = summarizeCustomers(purchasesByCustomer, { calibrationEnd, timeZone });
  const actual = holdoutPurchaseDays(
    purchasesByCustomer,
    summaries,
    calibrationEnd,
    asOf,
    timeZone,
  );
  const fits = fitModels(summaries);
  const model = fits.bgNbd.ok
    ? scoreWithModels(fits, summaries, horizonDays).map((p) => p.expectedPurchases)
    : null;
  const heuristic = scoreWithHeuristic(summaries, horizonDays).map((p) => p.expectedPurchases);
  return {
    calibrationEnd,
    asOf,
    horizonDays,
    customers: summaries.length,
    repeatCustomers: summaries.filter((s) => s.frequency > 0).length,
    holdoutBuyers: actual.filter((count) => count > 0).length,
    calibrationDays: summaries.reduce((max, s) => Math.max(max, s.T), 0),
    fits,
    model: model && scoreMethod(model, actual),
    baseline: scoreMethod(naiveBaseline(summaries, horizonDays), actual),
    heuristic: scoreMethod(heuristic, actual),
  };
}

/**
 * The naive baseline: each customer's rate of repeat purchase days so far, continued. A customer
 * first seen on the calibration end's day has no rate yet and is predicted 0, as a one-time buyer.
 */
export function naiveBaseline(summaries: readonly CustomerSummary[], horizon: number): number[] {
  return summaries.map((s) => (s.T > 0 ? (s.frequency / s.T) * horizon : 0));
}

/** Distinct purchase days after the calibration end and up to as-of, per summarised customer. */
export function holdoutPurchaseDays(
  purchasesByCustomer: ReadonlyMap<string, readonly Purchase[]>,
  summaries: readonly CustomerSummary[],
  calibrationEnd: Date,
  asOf: Date,
  timeZone: string,
): number[] {
  const dayOf = calendarDays(timeZone);
  const from = calibrationEnd.getTime();
  const to = asOf.getTime();
  return summaries.map(({ customerId }) => {
    const days = new Set<number>();
    for (const { at } of purchasesByCustomer.get(customerId) ?? []) {
      const time = at.getTime();
      if (time > from && time <= to) days.add(dayOf(at));
    }
    return days.size;
  });
}

/**
 * `predictions backtest`: the shop's counted purchases split at a calibration end, the models
 * fitted on the calibration period and checked on the next N days against the naive baseline
 * and the heuristic, the method a refresh at the end of that period would choose, and each
 * customer's calibration summary with that method's predictions and what they then did.
 * Reads only; nothing is stored.
 */
import {
  chooseMethod,
  fitModels,
  holdoutPurchaseDays,
  predictWith,
  runBacktest,
  summarizeCustomers,
  type BacktestReport,
  type CustomerPrediction,
  type CustomerSummary,
  type MethodChoice,
} from "~/domain/predictions";
import { concurrentReader } from "~/db.server";
import { loadCountedPurchases } from "~/models/predictions.server";
import { shopProfile } from "~/shops/shop-profile.server";

const DAY_MS = 86_400_000;
export const MAX_HORIZON_DAYS = 3650;

export interface ShopBacktest {
  shop: string;
  timeZone: string;
  currency: string;
  report: BacktestReport;
  choice: MethodChoice;
  customers: { summary: CustomerSummary; prediction: CustomerPrediction; actual: number }[];
}

/** A backtest the shop's data cannot give: the message says why, for the operator. */
export class BacktestRangeError extends Error {}

export async function backtestShop(
  shop: string,
  options: { calibrationEnd: Date; horizonDays: number; now?: Date },
): Promise<ShopBacktest> {
  const { calibrationEnd, horizonDays } = options;
  const now = options.now ?? new Date();
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > MAX_HORIZON_DAYS)
    throw new BacktestRangeError(
      `the horizon is a whole number of days from 1 to ${MAX_HORIZON_DAYS}, not ${horizonDays}`,
    );
  const asOf = new Date(calibrationEnd.getTime() + horizonDays * DAY_MS);
  if (asOf > now)
    throw new BacktestRangeError(
      `the ${horizonDays}-day test period after ${calibrationEnd.toISOString()} ends ${asOf.toISOString()}, after now: orders it needs have not happened yet`,
    );
  const [profile, purchases] = await Promise.all([
    shopProfile(shop),
    loadCountedPurchases(concurrentReader, shop, asOf),
  ]);
  const timeZone = profile.timeZone;
  const report = runBacktest(purchases, { asOf, horizonDays, timeZone });
  // What a refresh at the end of the test period would use, and so choose by.
  const current = fitModels(summarizeCustomers(purchases, { calibrationEnd: asOf, timeZone }));
  const choice = chooseMethod(report, current);
  const summaries = summarizeCustomers(purchases, { calibrationEnd, timeZone });
  const predictions = predictWith(choice, report.fits, summaries, horizonDays);
  const actual = holdoutPurchaseDays(purchases, summaries, calibrationEnd, asOf, timeZone);
  return {
    shop,
    timeZone,
    currency: profile.currency,
    report,
    choice,
    customers: summaries.map((summary, index) => ({
      summary,
      prediction: predictions[index],
      actual: actual[index],
    })),
  };
}

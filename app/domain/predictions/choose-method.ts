/**
 * Models or heuristic for a shop (PRODUCT.md §9): the models are used only where they beat the
 * naive baseline on the shop's own backtest, with enough history and enough buyers to tell.
 */
import type { BacktestReport } from "./backtest";
import { scoreWithHeuristic } from "./heuristic";
import { scoreWithModels, type CustomerPrediction, type ModelFits } from "./scoring";
import type { CustomerSummary } from "./summary";

export const CHOICE_THRESHOLDS = {
  /** Calibration history before the holdout, in days; at least the holdout's length too. */
  minCalibrationDays: 180,
  /** Customers who bought on a second day during calibration: what the models learn from. */
  minRepeatCustomers: 50,
  /** Buyers in the holdout: fewer, and the scores below are mostly noise. */
  minHoldoutBuyers: 30,
  /** The models' mean absolute error must be at least this share below the baseline's. */
  minErrorReduction: 0.02,
};

export interface MethodChoice {
  method: "model" | "heuristic";
  /** Plain sentences for the merchant: why this method. */
  reasons: string[];
}

/**
 * The models win when every threshold is met, their error is lower than the baseline's by the
 * margin above, and their correlation with what happened is at least the baseline's.
 * `current` are the models fitted on the full history, the ones that would be used.
 */
export function chooseMethod(
  backtest: BacktestReport,
  current: ModelFits,
  thresholds = CHOICE_THRESHOLDS,
): MethodChoice {
  const reasons: string[] = [];
  const minDays = Math.max(thresholds.minCalibrationDays, backtest.horizonDays);
  if (backtest.calibrationDays < minDays)
    reasons.push(
      `History is too short: ${backtest.calibrationDays} days before the ${backtest.horizonDays}-day test period, at least ${minDays} needed.`,
    );
  if (backtest.repeatCustomers < thresholds.minRepeatCustomers)
    reasons.push(
      `Too few repeat customers to learn from: ${backtest.repeatCustomers}, at least ${thresholds.minRepeatCustomers} needed.`,
    );
  if (backtest.holdoutBuyers < thresholds.minHoldoutBuyers)
    reasons.push(
      `Too few buyers in the test period to judge: ${backtest.holdoutBuyers}, at least ${thresholds.minHoldoutBuyers} needed.`,
    );
  if (!backtest.fits.bgNbd.ok)
    reasons.push(`The model could not be fitted on the test data: ${backtest.fits.bgNbd.message}.`);
  if (!current.bgNbd.ok)
    reasons.push(`The model could not be fitted on the full history: ${current.bgNbd.message}.`);
  const { model, baseline } = backtest;
  if (model) {
    const target = baseline.meanAbsoluteError * (1 - thresholds.minErrorReduction);
    if (!(model.meanAbsoluteError <= target))
      reasons.push(
        `The model's error (${format(model.meanAbsoluteError)} purchases per customer) is not at least ${percent(thresholds.minErrorReduction)} below simply continuing each customer's past rate (${format(baseline.meanAbsoluteError)}).`,
      );
    if (!((model.correlation ?? -Infinity) >= (baseline.correlation ?? -Infinity)))
      reasons.push(
        `The model's predictions follow what customers did less closely (correlation ${format(model.correlation)}) than continuing each customer's past rate (${format(baseline.correlation)}).`,
      );
  }
  if (reasons.length > 0) return { method: "heuristic", reasons };
  return {
    method: "model",
    reasons: [
      `On the last ${backtest.horizonDays} days the model's error was ${format(model!.meanAbsoluteError)} purchases per customer against ${format(baseline.meanAbsoluteError)} for continuing each customer's past rate, correlation ${format(model!.correlation)} against ${format(baseline.correlation)}.`,
    ],
  };
}

/** Every customer's prediction over the horizon by the chosen method. */
export function predictWith(
  choice: MethodChoice,
  current: ModelFits,
  summaries: readonly CustomerSummary[],
  horizon: number,
): CustomerPrediction[] {
  return choice.method === "model"
    ? scoreWithModels(current, summaries, horizon)
    : scoreWithHeuristic(summaries, horizon);
}

function format(value: number | null) {
  return value === null ? "none" : value.toFixed(3);
}

function percent(share: number) {
  return `${Math.round(share * 100)}%`;
}

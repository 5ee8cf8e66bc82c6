/**
 * The `predictions backtest` printout: fitted parameters, the backtest table (model, naive
 * baseline, heuristic), the method chosen and why, then one CSV row per customer. As `text` the
 * first parts are plain lines; as `csv` they are `#` comment lines above the rows, so the output
 * loads as one CSV (e.g. pandas' `comment="#"`). Time in days, money in the shop currency.
 */
import type { MethodScore } from "~/domain/predictions";
import { formatCents } from "~/segments/export.server";
import type { ShopBacktest } from "./backtest.server";

export type ReportFormat = "text" | "csv";

export const CUSTOMER_COLUMNS = [
  "customer_id",
  "frequency",
  "recency",
  "T",
  "monetary",
  "expected_purchases",
  "p_alive",
  "predicted_spend",
  "actual_purchases",
] as const;

const count = new Intl.NumberFormat("en-US");
const fixed = (value: number, digits: number) => value.toFixed(digits);
const money = (minor: number) => formatCents(BigInt(Math.round(minor)));
const share = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)}%`);

function parameterLines({ report }: ShopBacktest) {
  const { bgNbd, gammaGamma } = report.fits;
  return [
    "Fitted on the calibration period (time in days):",
    bgNbd.ok
      ? `  BG/NBD       r = ${fixed(bgNbd.params.r, 4)}  alpha = ${fixed(bgNbd.params.alpha, 4)}  a = ${fixed(bgNbd.params.a, 4)}  b = ${fixed(bgNbd.params.b, 4)}  log-likelihood = ${fixed(bgNbd.logLikelihood, 2)}  (${count.format(bgNbd.customers)} customers, ${count.format(bgNbd.repeatCustomers)} repeat${bgNbd.boundary === "no-dropout" ? "; on the no-dropout boundary" : ""})`
      : `  BG/NBD       not fitted: ${bgNbd.message}`,
    gammaGamma.ok
      ? `  Gamma-Gamma  p = ${fixed(gammaGamma.params.p, 4)}  q = ${fixed(gammaGamma.params.q, 4)}  v = ${fixed(gammaGamma.params.v, 4)}  log-likelihood = ${fixed(gammaGamma.logLikelihood, 2)}  (${count.format(gammaGamma.customers)} repeat customers; v in minor units)`
      : `  Gamma-Gamma  not fitted: ${gammaGamma.message}`,
  ];
}

function tableLines({ report }: ShopBacktest) {
  const header = [
    "method".padEnd(16),
    "MAE".padStart(8),
    "correlation".padStart(12),
    "predicted total".padStart(16),
    "actual total".padStart(13),
    "buyers in top fifth".padStart(20),
  ].join("");
  const row = (name: string, score: MethodScore | null) =>
    score
      ? [
          name.padEnd(16),
          fixed(score.meanAbsoluteError, 4).padStart(8),
          (score.correlation === null ? "–" : fixed(score.correlation, 4)).padStart(12),
          fixed(score.predictedTotal, 1).padStart(16),
          count.format(score.actualTotal).padStart(13),
          share(score.topFifthBuyerShare).padStart(20),
        ].join("")
      : `${name.padEnd(16)}not fitted`;
  return [
    `Backtest on the ${report.horizonDays} days after the calibration end (purchase days per customer):`,
    `  ${header}`,
    `  ${row("model", report.model)}`,
    `  ${row("naive baseline", report.baseline)}`,
    `  ${row("heuristic", report.heuristic)}`,
  ];
}

function headLines(backtest: ShopBacktest) {
  const { report, choice } = backtest;
  return [
    `Predictions backtest of ${backtest.shop} (purchase days in ${backtest.timeZone}, money in ${backtest.currency})`,
    `Calibration: ${count.format(report.calibrationDays)} days up to ${report.calibrationEnd.toISOString()}; test period: the next ${report.horizonDays} days, to ${report.asOf.toISOString()}`,
    `Customers: ${count.format(report.customers)} with a purchase by the calibration end, ${count.format(report.repeatCustomers)} of them on a second day; ${count.format(report.holdoutBuyers)} bought in the test period`,
    "",
    ...parameterLines(backtest),
    "",
    ...tableLines(backtest),
    "",
    `Method: ${choice.method === "model" ? "the model (BG/NBD and Gamma-Gamma)" : "the heuristic (days since the last order against the usual interval)"}`,
    ...choice.reasons.map((reason) => `  - ${reason}`),
    "",
    `Per customer: ${choice.method} predictions for the test period${choice.method === "heuristic" ? " (p_alive holds the buy-soon score)" : ""}`,
  ];
}

function csvField(value: string) {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The whole printout, line by line (each with its newline). */
export function* backtestReportLines(backtest: ShopBacktest, format: ReportFormat) {
  for (const line of headLines(backtest))
    yield format === "csv" ? `${line ? `# ${line}` : "#"}\n` : `${line}\n`;
  yield `${CUSTOMER_COLUMNS.join(",")}\n`;
  for (const { summary, prediction, actual } of backtest.customers)
    yield `${[
      csvField(summary.customerId),
      String(summary.frequency),
      String(summary.recency),
      String(summary.T),
      money(summary.monetary),
      fixed(prediction.expectedPurchases, 4),
      fixed(prediction.pAlive, 4),
      money(prediction.predictedSpend),
      String(actual),
    ].join(",")}\n`;
}

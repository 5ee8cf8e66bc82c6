import { parseCalendarTime } from "~/domain/dates";
import { backtestReportLines, type ReportFormat } from "~/predictions/backtest-report.server";
import { BacktestRangeError, backtestShop, MAX_HORIZON_DAYS } from "~/predictions/backtest.server";
import { refreshPredictions } from "~/predictions/refresh.server";
import { PastRecomputeError } from "~/segments/recompute.server";
import { UsageError, type CliCommand } from "../command";
import { knownShop } from "../known-shop";

function dateOption(name: string, value: string | boolean | undefined) {
  const date = parseCalendarTime(value);
  if (!date)
    throw new UsageError(
      `--${name} needs an ISO date such as 2026-06-30 or 2026-06-30T12:00:00Z, got ${value === undefined ? "nothing" : `"${value}"`}`,
    );
  return date;
}

function horizonOption(value: string | boolean | undefined) {
  const days = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(days >= 1 && days <= MAX_HORIZON_DAYS))
    throw new UsageError(
      `--horizon-days needs a whole number of days from 1 to ${MAX_HORIZON_DAYS}, got ${value === undefined ? "nothing" : `"${value}"`}`,
    );
  return days;
}

function formatOption(value: string | boolean | undefined): ReportFormat {
  const format = value ?? "text";
  if (format !== "text" && format !== "csv")
    throw new UsageError(`--format is text or csv, not "${format}"`);
  return format;
}

/** Errors that are the operator's input, not a failure: shown with the usage. */
async function asUsage<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BacktestRangeError || error instanceof PastRecomputeError)
      throw new UsageError(error.message);
    throw error;
  }
}

const number = new Intl.NumberFormat("en-US");

export const predictionCommands: CliCommand[] = [
  {
    name: "predictions backtest",
    usage:
      "predictions backtest <shop> --calibration-end <ISO date> --horizon-days <n> [--format text|csv]",
    options: {
      "calibration-end": { type: "string" },
      "horizon-days": { type: "string" },
      format: { type: "string" },
    },
    async run(positionals, options) {
      const calibrationEnd = dateOption("calibration-end", options["calibration-end"]);
      const horizonDays = horizonOption(options["horizon-days"]);
      const format = formatOption(options.format);
      const shop = await knownShop(positionals, { alone: true });
      const backtest = await asUsage(() => backtestShop(shop, { calibrationEnd, horizonDays }));
      for (const line of backtestReportLines(backtest, format))
        if (!process.stdout.write(line))
          await new Promise((resolve) => process.stdout.once("drain", resolve));
    },
  },
  {
    name: "predictions refresh",
    usage: "predictions refresh <shop> [--as-of <ISO date>]",
    options: { "as-of": { type: "string" } },
    async run(positionals, options) {
      const asOf =
        options["as-of"] === undefined ? new Date() : dateOption("as-of", options["as-of"]);
      const shop = await knownShop(positionals, { alone: true });
      const started = performance.now();
      const { run, segments } = await asUsage(() => refreshPredictions(shop, { asOf }));
      console.log(
        `refreshed ${shop} as of ${run.asOf.toISOString()}: ${number.format(run.predictions.length)} customers predicted by the ${run.method} (${Math.round(performance.now() - started)} ms)`,
      );
      for (const reason of run.reasons) console.log(`  - ${reason}`);
      console.log(
        `segments on predictions: ${segments.recomputed} recomputed, ${number.format(segments.entered)} entries, ${number.format(segments.left)} exits${segments.failed ? `, ${segments.failed} failed to evaluate` : ""}`,
      );
    },
  },
];

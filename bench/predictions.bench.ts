// Predictions: BG/NBD and Gamma-Gamma fitted to a generated 100,000-customer store and every
// customer scored for 30, 90 and 365 days (goal ≤ 3 s), plus the summary step and the backtest
// that come with a refresh. Pure computation: the bench database is not used.
import {
  fitModels,
  runBacktest,
  scoreWithModels,
  summarizeCustomers,
  type CustomerSummary,
} from "~/domain/predictions";
import { generateBgNbdStore } from "../tests/support/predictions-store";
import { defineBench, median, round, type BenchMetric } from "./harness";

const CUSTOMERS = Number(process.env.BENCH_PREDICTION_CUSTOMERS ?? 100_000);
const RUNS = 5;
const HORIZONS = [30, 90, 365];
const progress = (message: string) => console.error(`[predictions bench] ${message}`);

function timed<T>(work: () => T) {
  const started = performance.now();
  const result = work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

function fitAndScore(summaries: CustomerSummary[]) {
  const fits = fitModels(summaries);
  if (!fits.bgNbd.ok || !fits.gammaGamma.ok) throw new Error("the generated store did not fit");
  return HORIZONS.map((horizon) => scoreWithModels(fits, summaries, horizon));
}

const spread = (seconds: number[]) =>
  `${round(Math.min(...seconds), 2)}–${round(Math.max(...seconds), 2)} s`;

export default defineBench({
  name: "predictions",
  async run() {
    const asOf = new Date("2026-06-30T00:00:00Z");
    const store = generateBgNbdStore({
      customers: CUSTOMERS,
      // CDNOW's published parameters in days.
      bgNbd: { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 },
      gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
      start: new Date("2024-07-01T00:00:00Z"),
      acquisitionDays: 540,
      end: asOf,
    });
    const purchases = [...store.values()].reduce((sum, list) => sum + list.length, 0);
    progress(`${CUSTOMERS} customers, ${purchases} purchases generated`);
    const summaryRuns: number[] = [];
    const fitRuns: number[] = [];
    const backtestRuns: number[] = [];
    let summaries: CustomerSummary[] = [];
    for (let run = 0; run < RUNS; run++) {
      const summary = timed(() =>
        summarizeCustomers(store, { calibrationEnd: asOf, timeZone: "America/New_York" }),
      );
      summaries = summary.result;
      summaryRuns.push(summary.seconds);
      fitRuns.push(timed(() => fitAndScore(summaries)).seconds);
      backtestRuns.push(timed(() => runBacktest(store, { asOf, horizonDays: 90 })).seconds);
      progress(
        `run ${run + 1}: summary ${round(summaryRuns[run], 2)} s, fit + score ${round(fitRuns[run], 2)} s, backtest ${round(backtestRuns[run], 2)} s`,
      );
    }
    const repeat = summaries.filter((s) => s.frequency > 0).length;
    const size = `${CUSTOMERS} customers (${repeat} with repeats), ${purchases} purchases`;
    return [
      {
        metric: "fit both models + score 30/90/365 days",
        value: round(median(fitRuns), 2),
        unit: "s",
        target: { op: "<=", value: 3 },
        note: `median of ${RUNS} (${spread(fitRuns)}); ${size}`,
      },
      {
        metric: "summary step (distinct days, shop time zone)",
        value: round(median(summaryRuns), 2),
        unit: "s",
        note: `median of ${RUNS} (${spread(summaryRuns)})`,
      },
      {
        metric: "backtest, 90-day holdout (summary, fits, 3 methods)",
        value: round(median(backtestRuns), 2),
        unit: "s",
        note: `median of ${RUNS} (${spread(backtestRuns)})`,
      },
    ] satisfies BenchMetric[];
  },
});

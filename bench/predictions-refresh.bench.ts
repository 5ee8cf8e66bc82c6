// Predictions refresh of a generated 100,000-customer store end to end: counted orders read from
// the database, backtest, fits and method choice, every customer's predictions stored, and the
// segments on predictions recomputed; with the longest stretch the event loop was blocked (the
// process also acknowledges webhooks meanwhile).
import { monitorEventLoopDelay } from "node:perf_hooks";
import prisma, { concurrentReader } from "~/db.server";
import { runPredictions } from "~/domain/predictions";
import { loadCountedPurchases } from "~/models/predictions.server";
import { recordShopLocale } from "~/models/shop.server";
import { refreshPredictions } from "~/predictions/refresh.server";
import { recomputeShop } from "~/segments/recompute.server";
import { generateStore } from "@persegment/shopify-stand-in";
import { insertGeneratedStore } from "../tests/support/store-rows";
import { defineBench, measurePeakRss, median, round, type BenchMetric } from "./harness";

const CUSTOMERS = Number(process.env.BENCH_PREDICTION_CUSTOMERS ?? 100_000);
const RUNS = 3;
const DAY = 86_400_000;
const progress = (message: string) => console.error(`[predictions refresh bench] ${message}`);

export default defineBench({
  name: "predictions-refresh",
  async run() {
    const shop = "bench-predictions.myshopify.com";
    const now = new Date(Math.ceil(Date.now() / DAY) * DAY);
    const orders = await (async () => {
      const store = generateStore({ customers: CUSTOMERS, seed: 42, now });
      await insertGeneratedStore(shop, store);
      return store.orders.size;
    })();
    (globalThis as { gc?: () => void }).gc?.();
    await prisma.shop.create({ data: { domain: shop } });
    await recordShopLocale(shop, { ianaTimezone: "America/New_York", currencyCode: "USD" });
    await recomputeShop(shop, { asOf: now });
    progress(`${CUSTOMERS} customers, ${orders} orders loaded and segmented`);

    const runs: {
      seconds: number;
      blockedMs: number;
      peakRssMb: number;
      /** Peak RSS above the process's before the refresh (the loaded store's residue). */
      growthMb: number;
      method: string;
    }[] = [];
    const steps: { read: number; compute: number }[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // The two steps alone: reading the counted orders, and the computation with no pauses.
      const asOfStep = new Date(now.getTime() + run * DAY - 60_000);
      let started = performance.now();
      const purchases = await loadCountedPurchases(concurrentReader, shop, asOfStep);
      const read = (performance.now() - started) / 1000;
      started = performance.now();
      await runPredictions(purchases, { asOf: asOfStep, timeZone: "America/New_York" });
      steps.push({ read, compute: (performance.now() - started) / 1000 });

      (globalThis as { gc?: () => void }).gc?.();
      const rssBeforeMb = process.memoryUsage.rss() / 1024 / 1024;
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      started = performance.now();
      const { result, peakRssMb } = await measurePeakRss(() =>
        refreshPredictions(shop, { asOf: new Date(now.getTime() + run * DAY) }),
      );
      const seconds = (performance.now() - started) / 1000;
      // A block at the very end is recorded only once the monitor's timer runs again.
      await new Promise((resolve) => setTimeout(resolve, 50));
      delay.disable();
      runs.push({
        seconds,
        blockedMs: delay.max / 1e6,
        peakRssMb,
        growthMb: peakRssMb - rssBeforeMb,
        method: result.run.method,
      });
      progress(
        `run ${run}: ${round(seconds, 2)} s, event loop blocked up to ${round(delay.max / 1e6, 0)} ms, ${result.run.predictions.length} customers by the ${result.run.method}`,
      );
    }
    const spread = (values: number[], unit: string) =>
      `${round(Math.min(...values), 2)}–${round(Math.max(...values), 2)} ${unit}`;
    return [
      {
        metric: `refresh end to end (median of ${RUNS})`,
        value: round(median(runs.map((run) => run.seconds)), 2),
        unit: "s",
        note: `${spread(
          runs.map((run) => run.seconds),
          "s",
        )}; ${CUSTOMERS} customers, ${orders} orders; method ${runs[0].method}; peak RSS ${round(Math.max(...runs.map((run) => run.peakRssMb)))} MB, at most ${round(Math.max(...runs.map((run) => run.growthMb)))} MB above the process before the refresh`,
      },
      {
        metric: "reading the counted orders (median)",
        value: round(median(steps.map((step) => step.read)), 2),
        unit: "s",
        note: spread(
          steps.map((step) => step.read),
          "s",
        ),
      },
      {
        metric: "backtest, fits, choice, 3 horizons (median)",
        value: round(median(steps.map((step) => step.compute)), 2),
        unit: "s",
        note: `${spread(
          steps.map((step) => step.compute),
          "s",
        )}; in steps, with a pause between them in the refresh`,
      },
      {
        metric: "longest event-loop block during a refresh (median)",
        value: round(median(runs.map((run) => run.blockedMs)), 0),
        unit: "ms",
        note: spread(
          runs.map((run) => run.blockedMs),
          "ms",
        ),
      },
    ] satisfies BenchMetric[];
  },
});

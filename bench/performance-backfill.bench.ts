// Segment performance backfill (PRODUCT.md §10) of a generated 100,000-customer store: every kept
// period (90 days, 52 weeks, 12 months) replayed from the counted orders, as the
// `segments.performance` job does after an install's full sync; with the longest stretch the
// event loop was blocked meanwhile (with SQLite the job runs in the app's process, which
// acknowledges webhooks and serves the admin in between).
import { cpus, loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { loadReplayInputs } from "~/models/segment-periods.server";
import { recordInstall, recordShopLocale } from "~/models/shop.server";
import { rebuildPerformance } from "~/segments/performance.server";
import { recomputeShop } from "~/segments/recompute.server";
import { generateStore } from "@persegment/shopify-stand-in";
import { insertGeneratedStore } from "../tests/support/store-rows";
import { defineBench, measurePeakRss, round, type BenchMetric } from "./harness";

const CUSTOMERS = Number(process.env.BENCH_PERFORMANCE_CUSTOMERS ?? 100_000);
const DAY = 86_400_000;
const progress = (message: string) => console.error(`[performance backfill bench] ${message}`);

/** Node 23.9+ (and 22.x backports): this thread's CPU time, in microseconds. */
const threadCpu = (process as { threadCpuUsage?: () => { user: number; system: number } })
  .threadCpuUsage;

/**
 * The main thread's CPU time within its longest uninterrupted stretch: on a machine shared with
 * other work a stretch also lasts while the thread waits for a core, which this leaves out.
 */
function watchBlockCpu(everyMs = 5) {
  const cpuMs = () => {
    const usage = threadCpu!.call(process);
    return (usage.user + usage.system) / 1000;
  };
  let lastCpu = cpuMs();
  let worstMs = 0;
  const timer = setInterval(() => {
    const now = cpuMs();
    worstMs = Math.max(worstMs, now - lastCpu);
    lastCpu = now;
  }, everyMs);
  return () => {
    clearInterval(timer);
    return worstMs;
  };
}

export default defineBench({
  name: "performance-backfill",
  async run() {
    const shop = "bench-performance.myshopify.com";
    const now = new Date(Math.ceil(Date.now() / DAY) * DAY);
    // The generated store is dropped once loaded: its few hundred MB would count in the peak.
    const orders = await (async () => {
      const store = generateStore({ customers: CUSTOMERS, seed: 42, now });
      await insertGeneratedStore(shop, store);
      return store.orders.size;
    })();
    await recordInstall(shop, "read_customers,read_orders");
    await recordShopLocale(shop, { ianaTimezone: "America/New_York", currencyCode: "USD" });
    // Creates the built-in segments the replay follows.
    await recomputeShop(shop, { asOf: now });
    (globalThis as { gc?: () => void }).gc?.();
    progress(`${CUSTOMERS} customers, ${orders} orders loaded and segmented`);

    // The read alone, for the note: the rest of the job is the replay and the write.
    let started = performance.now();
    const countedOrders = (await loadReplayInputs(shop, now)).orders.length;
    const readSeconds = (performance.now() - started) / 1000;
    (globalThis as { gc?: () => void }).gc?.();

    const rssBeforeMb = process.memoryUsage.rss() / 1024 / 1024;
    const loadBefore = loadavg()[0];
    // What every full garbage collection during the backfill marks at least.
    const heapBeforeMb = process.memoryUsage().heapUsed / 1024 / 1024;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const stopWatching = threadCpu ? watchBlockCpu() : () => null;
    started = performance.now();
    const { result, peakRssMb } = await measurePeakRss(() =>
      rebuildPerformance(shop, { now, everything: true }),
    );
    const seconds = (performance.now() - started) / 1000;
    // A block at the very end is recorded only once the monitor's timer runs again.
    await new Promise((resolve) => setTimeout(resolve, 50));
    delay.disable();
    const blockCpuMs = stopWatching();
    // The machine's 1-minute load average before and after: timings stretch with it.
    const load = `load average ${round(loadBefore, 1)} → ${round(loadavg()[0], 1)} on ${cpus().length} cores`;
    const rows = "rows" in result ? result.rows : 0;
    const periods = "periods" in result ? result.periods : 0;
    progress(
      `backfill ${round(seconds, 1)} s, event loop blocked up to ${round(delay.max / 1e6, 0)} ms (p99 ${round(delay.percentile(99) / 1e6, 0)} ms), ${periods} periods, ${rows} rows, most CPU in one block ${blockCpuMs === null ? "n/a" : round(blockCpuMs, 0)} ms; ${load}`,
    );
    return [
      {
        metric: "backfill of every kept period",
        value: round(seconds, 1),
        unit: "s",
        target: { op: "<=", value: 120 },
        note: `${CUSTOMERS.toLocaleString("en-US")} customers, ${countedOrders.toLocaleString("en-US")} counted orders (${orders.toLocaleString("en-US")} generated); ${periods} periods, ${rows} rows; reading the inputs alone ${round(readSeconds, 1)} s; ${load}`,
      },
      {
        metric: "longest event-loop block during the backfill",
        value: round(delay.max / 1e6, 0),
        unit: "ms",
        target: { op: "<=", value: 100 },
        note: `p99 ${round(delay.percentile(99) / 1e6, 0)} ms, mean ${round(delay.mean / 1e6, 1)} ms (monitorEventLoopDelay, 10 ms resolution)`,
      },
      {
        metric: "most CPU the main thread spent in one block",
        value: blockCpuMs === null ? null : round(blockCpuMs, 0),
        unit: "ms",
        note:
          blockCpuMs === null
            ? "needs process.threadCpuUsage (Node 23.9+)"
            : "the longest block less the time the thread waited for a core (5 ms timer)",
      },
      {
        metric: "peak RSS during the backfill",
        value: round(peakRssMb, 0),
        unit: "MB",
        note: `${round(peakRssMb - rssBeforeMb, 0)} MB above the process before the backfill, whose JavaScript heap held ${round(heapBeforeMb, 0)} MB`,
      },
    ] satisfies BenchMetric[];
  },
});

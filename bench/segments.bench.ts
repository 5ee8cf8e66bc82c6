// Segments: full recompute of all built-ins + 10 custom segments over a generated 100,000-customer
// store (first run and a daily re-run), the incremental recompute after one new order, and the
// segment performance backfill (a year of periods replayed from the orders) and its hourly run.
import { recordInstall, recordShopLocale } from "~/models/shop.server";
import { saveCustomSegment } from "~/segments/custom.server";
import { rebuildPerformance } from "~/segments/performance.server";
import { recomputeCustomers, recomputeShop } from "~/segments/recompute.server";
import { generateStore } from "@persegment/shopify-stand-in";
import {
  customerGid,
  insertGeneratedStore,
  insertOrders,
  orderGid,
} from "../tests/support/store-rows";
import { defineBench, measurePeakRss, median, percentile, round } from "./harness";

const spread = (runs: { ms: number }[]) => {
  const seconds = runs.map((run) => run.ms / 1000);
  return `${round(Math.min(...seconds), 2)}–${round(Math.max(...seconds), 2)} s`;
};

const CUSTOMERS = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 100_000);
const DAY = 86_400_000;
const DAILY_RUNS = 5;
const UNCHANGED_RUNS = 3;
const progress = (message: string) => console.error(`[segments bench] ${message}`);

export const CUSTOM_RULES: { name: string; rule: unknown }[] = [
  { name: "Frequent buyers", rule: { field: "frequency", op: ">=", value: 5 } },
  { name: "Big spenders", rule: { field: "monetary", op: ">=", value: 100_000 } },
  {
    name: "Recent US buyers",
    rule: {
      and: [
        { field: "country", op: "in", value: ["US"] },
        { field: "recency", op: "<=", value: 30 },
      ],
    },
  },
  {
    name: "Top RFM not champions",
    rule: {
      and: [
        { field: "r", op: ">=", value: 4 },
        { field: "f", op: ">=", value: 4 },
        { not: { field: "rfm_group", op: "in", value: ["champions"] } },
      ],
    },
  },
  {
    name: "Subscribed lapsed",
    rule: {
      and: [
        { field: "email_marketing", op: "in", value: ["SUBSCRIBED"] },
        { field: "recency", op: ">", value: 120 },
      ],
    },
  },
  {
    name: "Hoodie buyers this year",
    rule: {
      field: "orders",
      op: ">=",
      value: 1,
      where: { product_types: ["Hoodies"], within_days: 365 },
    },
  },
  {
    name: "Discount users",
    rule: { field: "orders", op: ">=", value: 2, where: { discount: true } },
  },
  { name: "Tagged", rule: { field: "tags", op: "has_any", value: ["vip", "wholesale"] } },
  { name: "New sign-ups", rule: { field: "customer_created", op: "within_days", value: 60 } },
  {
    name: "Kestrel fans",
    rule: { field: "orders", op: ">=", value: 1, where: { vendors: ["Kestrel"] } },
  },
];

export default defineBench({
  name: "segments",
  async run() {
    const shop = "bench-segments.myshopify.com";
    // The next UTC midnight: saving the custom segments evaluates them now, and memberships are
    // live, so every recompute measured here must be as of a later moment.
    const now = new Date(Math.ceil(Date.now() / DAY) * DAY);
    // The generated store is dropped once loaded, so its few hundred MB don't weigh on the
    // measurements (garbage collection pauses in the incremental samples).
    const { ids, orders, loadSeconds } = await (async () => {
      const store = generateStore({ customers: CUSTOMERS, seed: 42, now });
      progress(`generated ${CUSTOMERS} customers`);
      const loadStarted = performance.now();
      // Refreshes PostgreSQL's planner statistics at the end, as a full sync does.
      await insertGeneratedStore(shop, store);
      return {
        ids: [...store.customers.keys()],
        orders: store.orders.size,
        loadSeconds: (performance.now() - loadStarted) / 1000,
      };
    })();
    (globalThis as { gc?: () => void }).gc?.();
    progress(`loaded ${orders} orders in ${loadSeconds.toFixed(1)} s`);

    for (const { name, rule } of CUSTOM_RULES) {
      const saved = await saveCustomSegment(shop, { name, rule });
      if (!saved.ok)
        throw new Error(`bench rule ${name} refused: ${JSON.stringify(saved.problems)}`);
    }

    const timeFull = async (asOf: Date) => {
      const started = performance.now();
      const { result, peakRssMb } = await measurePeakRss(() => recomputeShop(shop, { asOf }));
      return { ms: performance.now() - started, result, peakRssMb };
    };
    progress("custom segments saved");
    const first = await timeFull(now);
    progress(`first full recompute ${first.ms.toFixed(0)} ms`);
    // Timings on these machines swing by a third between runs: the goal is judged on medians.
    const days = [];
    for (let day = 1; day <= DAILY_RUNS; day++)
      days.push(await timeFull(new Date(now.getTime() + day * DAY)));
    const asOfLastDay = new Date(now.getTime() + DAILY_RUNS * DAY);
    const unchanged = [];
    for (let run = 0; run < UNCHANGED_RUNS; run++) unchanged.push(await timeFull(asOfLastDay));
    progress(
      `days ${days.map((run) => run.ms.toFixed(0)).join(", ")} ms; unchanged ${unchanged.map((run) => run.ms.toFixed(0)).join(", ")} ms`,
    );

    // Incremental: one new order for a random customer, then that customer's recompute.
    const samples: number[] = [];
    (globalThis as { gc?: () => void }).gc?.();
    for (let i = 0; i < 200; i++) {
      const customerId = customerGid(ids[(i * 7919) % ids.length]);
      const at = new Date(asOfLastDay.getTime() + i * 1000);
      await insertOrders(shop, [
        { id: orderGid(`bench-${i}`), customerId, processedAt: at, totalCents: 4_200 },
      ]);
      const started = performance.now();
      await recomputeCustomers(shop, [customerId], { asOf: at });
      samples.push(performance.now() - started);
    }

    // Performance: the install's backfill of every kept period, then the next day's hourly run.
    await recordInstall(shop, "read_customers,read_orders");
    await recordShopLocale(shop, { ianaTimezone: "America/New_York", currencyCode: "USD" });
    (globalThis as { gc?: () => void }).gc?.();
    const backfillStarted = performance.now();
    const backfill = await measurePeakRss(() =>
      rebuildPerformance(shop, { now: asOfLastDay, everything: true }),
    );
    const backfillMs = performance.now() - backfillStarted;
    const nextDayStarted = performance.now();
    const nextDay = await rebuildPerformance(shop, { now: new Date(asOfLastDay.getTime() + DAY) });
    const nextDayMs = performance.now() - nextDayStarted;
    progress(
      `performance backfill ${backfillMs.toFixed(0)} ms, next day ${nextDayMs.toFixed(0)} ms`,
    );

    const size = `${CUSTOMERS.toLocaleString("en-US")} customers, ${orders.toLocaleString("en-US")} orders, 20 built-in + 10 custom segments`;
    return [
      {
        metric: "full recompute, first run",
        value: round(first.ms / 1000, 2),
        unit: "s",
        target: { op: "<=", value: 2 },
        note: `${size}; the process's first: starts the reader thread; ${first.result.entered.toLocaleString("en-US")} memberships written; peak RSS ${round(first.peakRssMb)} MB`,
      },
      {
        metric: `full recompute, next day (median of ${DAILY_RUNS})`,
        value: round(median(days.map((run) => run.ms)) / 1000, 2),
        unit: "s",
        target: { op: "<=", value: 2 },
        note: `as-of one day later each time, recency moves: ${spread(days)}; per day ${round(median(days.map((run) => run.result.scoresWritten)), 0).toLocaleString("en-US")} score rows and ${round(median(days.map((run) => run.result.entered + run.result.left)), 0).toLocaleString("en-US")} membership changes written (medians)`,
      },
      {
        metric: `full recompute, nothing changed (median of ${UNCHANGED_RUNS})`,
        value: round(median(unchanged.map((run) => run.ms)) / 1000, 2),
        unit: "s",
        target: { op: "<=", value: 2 },
        note: spread(unchanged),
      },
      {
        metric: "incremental after one order, p95",
        value: round(percentile(samples, 95), 2),
        unit: "ms",
        target: { op: "<=", value: 20 },
        note: `p50 ${round(percentile(samples, 50), 2)} ms over ${samples.length} orders`,
      },
      {
        metric: "performance backfill (a year of periods)",
        value: round(backfillMs / 1000, 1),
        unit: "s",
        target: { op: "<=", value: 120 },
        note: `a background job once per install and full sync: ${"rows" in backfill.result ? backfill.result.rows : 0} period rows of the built-in segments replayed; peak RSS ${round(backfill.peakRssMb)} MB`,
      },
      {
        metric: "performance, the next day's run",
        value: round(nextDayMs / 1000, 1),
        unit: "s",
        target: { op: "<=", value: 30 },
        note: `hourly job, the periods just ended: ${"periods" in nextDay ? nextDay.periods : 0} added (the orders are read again for the replay)`,
      },
      {
        metric: "loading the generated store",
        value: round(loadSeconds, 1),
        unit: "s",
        note: "setup, not a goal",
      },
    ];
  },
});

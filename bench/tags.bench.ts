// Tag writes against the stand-in at standard plan limits (2,000-point bucket, 100 points/s):
// 20,000 membership changes end to end, paced throttle-budget use, and where bulk beats paced.
import prisma from "~/db.server";
import { bulkThreshold, MEASURED_WRITE_TIMINGS, STANDARD_THROTTLE } from "~/domain/tags/strategy";
import { recordInstall } from "~/models/shop.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { applyShopTags } from "~/tags/apply.server";
import type { WriteStrategy } from "~/domain/tags/strategy";
import { startStandIn, Store } from "@persegment/shopify-stand-in";
import { defineBench, median, round, type BenchMetric } from "./harness";

let shopCounter = 0;

/** A fresh shop: stand-in with `customers` customers, DB rows, one tagged segment with all of them. */
async function setUp(customers: number) {
  const shop = `tags-bench-${++shopCounter}-${Date.now()}.myshopify.com`;
  const store = new Store({
    name: "bench",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  const ids: string[] = [];
  for (let i = 0; i < customers; i++) {
    const customer = store.createCustomer({ tags: i % 10 === 0 ? ["wholesale"] : [] });
    ids.push(`gid://shopify/Customer/${customer.id}`);
  }
  const standIn = await startStandIn({
    shop,
    accessToken: "bench",
    apiSecret: "testApiSecretKey",
    store,
    throttle: { ...STANDARD_THROTTLE },
  });
  await recordInstall(shop, "");
  const now = new Date();
  for (let i = 0; i < ids.length; i += 1000)
    await prisma.customer.createMany({
      data: ids.slice(i, i + 1000).map((id) => ({ shop, id, createdAt: now, updatedAt: now })),
    });
  const segment = await prisma.segment.create({
    data: { shop, handle: "champions", name: "Champions", kind: "rfm", tagEnabled: true },
  });
  for (let i = 0; i < ids.length; i += 1000)
    await prisma.segmentMember.createMany({
      data: ids
        .slice(i, i + 1000)
        .map((customerId) => ({ shop, segmentId: segment.id, customerId, enteredAt: now })),
    });
  const gateway = createAdminGateway({ shop, accessToken: "bench", origin: standIn.origin });
  return { shop, store, standIn, gateway };
}

async function timedApply(customers: number, strategy?: WriteStrategy) {
  const { shop, store, standIn, gateway } = await setUp(customers);
  try {
    const started = performance.now();
    const report = await applyShopTags(gateway, shop, {
      strategy,
      bulk: { pollMs: 100, maxPollMs: 1000 },
    });
    const seconds = (performance.now() - started) / 1000;
    const tagged = [...store.customers.values()].filter((c) =>
      c.tags.includes("seg-champions"),
    ).length;
    if (tagged !== customers || report.failures.length)
      throw new Error(
        `expected ${customers} tagged customers, found ${tagged} (${report.failures.length} failures)`,
      );
    const rerun = await applyShopTags(gateway, shop);
    return { report, seconds, stats: gateway.stats(), rerunCalls: rerun.apiCalls };
  } finally {
    await standIn.close();
  }
}

export default defineBench({
  name: "tags",
  async run() {
    const metrics: BenchMetric[] = [];

    // 1. 20,000 membership changes, strategy chosen by the app.
    const big = await timedApply(20_000);
    metrics.push(
      {
        metric: "20k changes: wall time",
        value: round(big.seconds),
        unit: "s",
        note: `strategy ${big.report.strategy}`,
      },
      { metric: "20k changes: API calls", value: big.report.apiCalls, unit: "calls" },
      {
        metric: "20k changes: THROTTLED surfaced",
        value: big.report.throttled,
        unit: "errors",
        target: { op: "<=", value: 0 },
      },
      {
        metric: "20k changes: rerun API calls",
        value: big.rerunCalls,
        unit: "calls",
        target: { op: "<=", value: 0 },
      },
    );

    // 2. Paced writes well past the bucket: how much of the throttle budget the pacing uses.
    const pacedCount = Number(process.env.TAGS_BENCH_PACED ?? 600);
    const paced = await timedApply(pacedCount, "paced");
    const pointsAvailable =
      STANDARD_THROTTLE.maximumAvailable + STANDARD_THROTTLE.restoreRate * paced.seconds;
    metrics.push(
      { metric: `paced ${pacedCount}: wall time`, value: round(paced.seconds), unit: "s" },
      { metric: `paced ${pacedCount}: API calls`, value: paced.report.apiCalls, unit: "calls" },
      {
        metric: `paced ${pacedCount}: THROTTLED surfaced`,
        value: paced.report.throttled,
        unit: "errors",
        target: { op: "<=", value: 0 },
      },
      {
        metric: `paced ${pacedCount}: throttle budget used`,
        value: round((100 * paced.stats.costActual) / pointsAvailable),
        unit: "%",
        target: { op: ">=", value: 90 },
        note: `${paced.stats.costActual} points of ${Math.round(pointsAvailable)} available (bucket + restore × time)`,
      },
      {
        metric: "20k changes paced (extrapolated)",
        value: round(
          (20_000 * 10 - STANDARD_THROTTLE.maximumAvailable) / STANDARD_THROTTLE.restoreRate / 60,
        ),
        unit: "min",
        note: "at 100 points/s, 10 points per tagsAdd",
      },
    );

    // 3. Crossover: wall time of both strategies at small sizes (the bucket is not the limit
    // there), giving the two constants the app's choice uses, and the size where bulk wins.
    const sizes = [5, 10, 20, 40, 80];
    const rows: { n: number; paced: number; bulk: number }[] = [];
    for (const n of sizes) {
      const p = await timedApply(n, "paced");
      const b = await timedApply(n, "bulk");
      rows.push({ n, paced: p.seconds, bulk: b.seconds });
    }
    const measured = {
      bulkSeconds: median(rows.map((row) => row.bulk)),
      callSeconds: median(rows.map((row) => row.paced / row.n)),
    };
    const crossover = rows.find((row) => row.bulk < row.paced)?.n ?? null;
    const budget = {
      currentlyAvailable: STANDARD_THROTTLE.maximumAvailable,
      restoreRate: STANDARD_THROTTLE.restoreRate,
    };
    metrics.push(
      {
        metric: "bulk mutation wall time (small)",
        value: round(measured.bulkSeconds, 2),
        unit: "s",
        note: `app uses ${MEASURED_WRITE_TIMINGS.bulkSeconds}`,
      },
      {
        metric: "paced call wall time",
        value: round(measured.callSeconds * 1000),
        unit: "ms",
        note: `app uses ${MEASURED_WRITE_TIMINGS.callSeconds * 1000}`,
      },
      {
        metric: "bulk beats paced from (measured)",
        value: crossover,
        unit: "mutations",
        note: `${crossover === null ? `bulk was slower at every size up to ${sizes.at(-1)}; ` : ""}${rows
          .map((r) => `n=${r.n}: paced ${r.paced.toFixed(2)}s, bulk ${r.bulk.toFixed(2)}s`)
          .join("; ")}`,
      },
      {
        metric: "bulk threshold (model, measured now)",
        value: bulkThreshold(budget, measured),
        unit: "mutations",
      },
      { metric: "bulk threshold (app constants)", value: bulkThreshold(budget), unit: "mutations" },
    );
    return metrics;
  },
});

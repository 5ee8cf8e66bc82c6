// Full sync from the Shopify stand-in: a generated store (default 100,000 customers with ~4 orders
// each, ~1M line items) exported by bulk operations, streamed and written to the database.
// BENCH_SYNC_CUSTOMERS changes the size (for quick runs).
import { recordInstall } from "~/models/shop.server";
import { localTotals } from "~/models/orders.server";
import { saveOfflineToken } from "~/models/sync.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { runFullSync } from "~/sync/full-sync.server";
import { generateStore, startStandIn } from "../tests/shopify-stand-in";
import { defineBench, measurePeakRss, round } from "./harness";

const SHOP = "bench-sync.myshopify.com";
const TOKEN = "bench-token";

export default defineBench({
  name: "sync",
  async run() {
    const customers = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 100_000);
    const store = generateStore({ customers, seed: 42 });
    const counts = store.counts();
    const standIn = await startStandIn({
      shop: SHOP,
      accessToken: TOKEN,
      apiSecret: "testApiSecretKey",
      store,
    });
    try {
      await recordInstall(SHOP, "read_customers,read_orders,read_all_orders,read_products");
      await saveOfflineToken(
        SHOP,
        TOKEN,
        "read_customers,read_orders,read_all_orders,read_products",
      );
      const gateway = createAdminGateway({
        shop: SHOP,
        accessToken: TOKEN,
        origin: standIn.origin,
      });
      // The stand-in's store lives in this process too: measure RSS growth over its baseline.
      global.gc?.();
      const baselineMb = process.memoryUsage.rss() / 1024 / 1024;
      const started = performance.now();
      let phaseLog = "";
      const { peakRssMb } = await measurePeakRss(() =>
        runFullSync(gateway, {
          pollIntervalMs: 100,
          onProgress: (p) => {
            if (!phaseLog.endsWith(p.phase)) {
              phaseLog += `${phaseLog ? " → " : ""}${p.phase}`;
              console.log(`  ${round((performance.now() - started) / 1000)} s: ${p.phase}`);
            }
          },
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const local = await localTotals(SHOP);
      const records = local.customers + local.products + local.orders + local.lineItems;
      const expected = counts.customers + counts.products + counts.orders + counts.lineItems;
      if (records !== expected)
        throw new Error(`full sync wrote ${records} records, the stand-in has ${expected}`);
      const size = `${counts.customers} customers, ${counts.orders} orders, ${counts.lineItems} line items`;
      return [
        {
          metric: "full sync throughput",
          value: Math.round(records / seconds),
          unit: "records/s",
          target: { op: ">=", value: 50_000 },
          note: `${records} records (${size}) in ${round(seconds)} s`,
        },
        { metric: "full sync time", value: round(seconds), unit: "s", note: size },
        {
          metric: "full sync peak RSS (process)",
          value: Math.round(peakRssMb),
          unit: "MB",
          note: `includes the in-process stand-in (${Math.round(baselineMb)} MB before the sync)`,
        },
        {
          metric: "full sync RSS growth",
          value: Math.round(peakRssMb - baselineMb),
          unit: "MB",
          target: { op: "<=", value: 400 },
          note: "peak minus the RSS with the stand-in's store loaded",
        },
      ];
    } finally {
      await standIn.close();
    }
  },
});

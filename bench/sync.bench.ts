// Full sync from the Shopify stand-in: a generated store (default 100,000 customers with ~4 orders
// each, ~1M line items) exported by bulk operations, streamed and written to the database.
// The stand-in runs as its own process (`npm run emulator`), so this process's RSS is the app's.
// BENCH_SYNC_CUSTOMERS changes the size (for quick runs).
import { recordInstall } from "~/models/shop.server";
import { localTotals } from "~/models/orders.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { runFullSync } from "~/sync/full-sync.server";
import type { FullSyncTimings } from "~/sync/full-sync-run.server";
import type { CustomersChanged } from "~/sync/effects";
import { spawn } from "node:child_process";
import { defineBench, measurePeakRss, round } from "./harness";

const SHOP = "bench-sync.myshopify.com";
/** The import alone is measured: segments follow in their own bench. */
const changesIgnored: CustomersChanged = async () => {};
const TOKEN = "bench-token";

export default defineBench({
  name: "sync",
  async run() {
    const customers = Number(process.env.BENCH_SYNC_CUSTOMERS ?? 100_000);
    const standIn = await startStandInProcess(customers);
    const counts = standIn.counts;
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
      global.gc?.();
      const baselineMb = process.memoryUsage.rss() / 1024 / 1024;
      const started = performance.now();
      let phaseLog = "";
      const { result: run, peakRssMb } = await measurePeakRss(() =>
        runFullSync(gateway, changesIgnored, {
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
      const phases = Object.values(
        (JSON.parse(run.report ?? "{}") as { phases: Record<string, FullSyncTimings> }).phases,
      );
      const importSeconds = phases.reduce((sum, phase) => sum + phase.importedMs, 0) / 1000;
      const waitedSeconds = phases.reduce((sum, phase) => sum + phase.waitedMs, 0) / 1000;
      return [
        {
          metric: "full sync throughput",
          value: Math.round(records / seconds),
          unit: "records/s",
          note: `${records} records (${size}) in ${round(seconds)} s end to end, ${round(waitedSeconds)} s of it waiting for the stand-in's exports`,
        },
        {
          metric: "import throughput",
          value: Math.round(records / importSeconds),
          unit: "records/s",
          target: { op: ">=", value: 50_000 },
          note: `downloading, parsing and writing the exports: ${round(importSeconds)} s`,
        },
        { metric: "full sync time", value: round(seconds), unit: "s", note: size },
        {
          metric: "full sync peak RSS",
          value: Math.round(peakRssMb),
          unit: "MB",
          target: { op: "<=", value: 400 },
          note: `app process only (the stand-in is another process); ${Math.round(baselineMb)} MB before the sync`,
        },
      ];
    } finally {
      standIn.stop();
    }
  },
});

/** `npm run emulator` with a generated store; resolves once it serves, with its store's counts. */
function startStandInProcess(customers: number) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "packages/shopify-stand-in/src/cli.ts",
      "--shop",
      SHOP,
      "--token",
      TOKEN,
      "--generate",
      String(customers),
      "--random-seed",
      "42",
      "--api-secret",
      "testApiSecretKey",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise<{
    origin: string;
    counts: { customers: number; orders: number; lineItems: number; products: number };
    stop: () => void;
  }>((resolve, reject) => {
    let output = "";
    child.on("exit", (code) => reject(new Error(`the stand-in exited with code ${code}`)));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /(\d+) customers, (\d+) orders, (\d+) line items, (\d+) products/.exec(output);
      const at = /stand-in for \S+ at (http:\/\/\S+)/.exec(output);
      if (ready && at)
        resolve({
          origin: at[1],
          counts: {
            customers: Number(ready[1]),
            orders: Number(ready[2]),
            lineItems: Number(ready[3]),
            products: Number(ready[4]),
          },
          stop: () => child.kill("SIGTERM"),
        });
    });
  });
}

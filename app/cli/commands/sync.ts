import { hasCompletedFullSync } from "~/models/sync-runs.server";
import { pipeline } from "~/pipeline.server";
import { gatewayForShop } from "~/shops/access.server";
import { runFullSync } from "~/sync/full-sync.server";
import type { FullSyncProgress } from "~/sync/full-sync-run.server";
import { describeReport, runReconciliation } from "~/sync/reconcile.server";
import { addShopWithToken } from "~/shops/access.server";
import { shopArgument, UsageError, type CliCommand } from "../command";
import { knownShop } from "../known-shop";

/** Prints a progress line per phase change and at most once a second in between. */
function progressPrinter() {
  let lastPhase = "";
  let lastAt = 0;
  return (progress: FullSyncProgress) => {
    const now = Date.now();
    if (progress.phase === lastPhase && now - lastAt < 1000) return;
    lastPhase = progress.phase;
    lastAt = now;
    const total = progress.recordsTotal;
    const share = total
      ? ` (${Math.min(100, Math.floor((100 * progress.recordsDone) / total))}%)`
      : "";
    console.log(
      `${progress.phase.padEnd(10)} ${progress.recordsDone}${total ? ` / ~${total}` : ""} records${share}`,
    );
  };
}

async function fullSync(shop: string) {
  const gateway = await gatewayForShop(shop);
  const started = Date.now();
  // Segments follow as in the app (the pipeline's effects), in this process.
  const run = await runFullSync(gateway, pipeline().effects.customersChanged, {
    pollIntervalMs: 1000,
    onProgress: progressPrinter(),
  });
  const stats = gateway.stats();
  console.log(
    `full sync of ${shop} finished in ${((Date.now() - started) / 1000).toFixed(1)} s: ${run.recordsDone} records (${stats.calls} API calls, ${stats.throttled} throttled)`,
  );
}

async function reconcile(shop: string) {
  const gateway = await gatewayForShop(shop);
  const { report } = await runReconciliation(gateway, pipeline().effects.customersChanged);
  console.log(`reconciled ${shop}: ${describeReport(report)}`);
  if (report.ordersVisibleSince)
    console.log(
      `note: without read_all_orders only orders since ${report.ordersVisibleSince.slice(0, 10)} are visible`,
    );
}

export const syncCommands: CliCommand[] = [
  {
    name: "shops add",
    usage: "shops add <shop> --token <access token>",
    options: { token: { type: "string" } },
    async run(positionals, options) {
      const shop = shopArgument(positionals, { alone: true });
      const token = options.token;
      if (typeof token !== "string" || !token) throw new UsageError("missing --token <t>");
      const { scopes } = await addShopWithToken(shop, token);
      console.log(`added ${shop} (scopes: ${scopes || "none"})`);
    },
  },
  {
    name: "sync",
    usage: "sync <shop> [--full]   full (bulk) import, or fetch what changed since the last sync",
    options: { full: { type: "boolean" } },
    async run(positionals, options) {
      const shop = await knownShop(positionals, { alone: true });
      if (options.full) return fullSync(shop);
      if (!(await hasCompletedFullSync(shop))) {
        console.log(`${shop} was never fully imported: running a full sync first`);
        return fullSync(shop);
      }
      return reconcile(shop);
    },
  },
  {
    name: "reconcile",
    usage: "reconcile <shop>   fetch changes since the last high-water mark, heal missed webhooks",
    async run(positionals) {
      return reconcile(await knownShop(positionals, { alone: true }));
    },
  },
];

import { hasCompletedFullSync, runningSyncRuns, shopsToReconcile } from "~/models/sync.server";
import { gatewayForShop } from "~/shopify/gateway.server";
import { isAbandoned, isFullSyncRunningHere, startFullSync } from "./full-sync.server";
import { describeReport, runReconciliation } from "./reconcile.server";

/** After install (afterAuth): the first full import, unless the shop already has one. */
export async function syncAfterInstall(shop: string) {
  if (await hasCompletedFullSync(shop)) return;
  void startFullSync(shop);
}

/** Full syncs whose process died (no heartbeat for a while) are continued here. */
export async function resumeAbandonedFullSyncs() {
  for (const run of await runningSyncRuns("full"))
    if (!isFullSyncRunningHere(run.shop) && isAbandoned(run)) void startFullSync(run.shop);
}

/** One reconciliation pass over every installed, fully imported shop. */
export async function reconcileAllShops() {
  for (const shop of await shopsToReconcile()) {
    if (isFullSyncRunningHere(shop) || !(await hasCompletedFullSync(shop))) continue;
    try {
      const { report } = await runReconciliation(await gatewayForShop(shop));
      console.log(`reconciled ${shop}: ${describeReport(report)}`);
    } catch (error) {
      console.error(
        `reconciliation of ${shop} failed:`,
        error instanceof Error ? error.message : error,
      );
    }
  }
}

let busy = false;

/**
 * The scheduled sync work of a server process: reconciliation every `intervalMs` (dropped
 * webhooks are healed within one interval) and resumption of abandoned full syncs.
 */
export function startSyncSchedule(intervalMs = 15 * 60_000) {
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await resumeAbandonedFullSyncs();
      await reconcileAllShops();
    } catch (error) {
      console.error("scheduled sync failed:", error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void resumeAbandonedFullSyncs().catch((error) => console.error("resuming syncs failed:", error));
  return () => clearInterval(timer);
}

import {
  hasCompletedFullSync,
  latestSyncRun,
  shopsToReconcile,
  unfinishedSyncRuns,
} from "~/models/sync.server";
import { gatewayForShop } from "~/shopify/gateway.server";
import { isAbandoned, isFullSyncRunningHere, startFullSync } from "./full-sync.server";
import { describeReport, runReconciliation } from "./reconcile.server";

/** After install (afterAuth): the first full import, unless the shop already has one. */
export async function syncAfterInstall(shop: string) {
  if (await hasCompletedFullSync(shop)) return;
  void startFullSync(shop);
}

/**
 * Unfinished full syncs of installed shops are continued here: those whose process died (no lease
 * renewal for a while) and those that failed (a download that kept failing, Shopify down), so a
 * bad moment never leaves a shop half-synced until someone presses "Sync now". Resolves when the
 * syncs it started have ended.
 */
export async function resumeUnfinishedFullSyncs(
  start: (shop: string) => Promise<unknown> = startFullSync,
) {
  const installed = new Set(await shopsToReconcile());
  const resumed: Promise<unknown>[] = [];
  for (const run of await unfinishedSyncRuns("full")) {
    if (!installed.has(run.shop) || isFullSyncRunningHere(run.shop) || !isAbandoned(run)) continue;
    // Only the shop's latest full run is continued: an older failed one was superseded.
    if ((await latestSyncRun(run.shop, "full"))?.id !== run.id) continue;
    resumed.push(
      start(run.shop).catch((error) =>
        console.error(
          `resuming the full sync of ${run.shop} failed:`,
          error instanceof Error ? error.message : error,
        ),
      ),
    );
  }
  await Promise.all(resumed);
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
 * webhooks are healed within one interval) and resumption of unfinished full syncs.
 */
export function startSyncSchedule(intervalMs = 15 * 60_000) {
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      void resumeUnfinishedFullSyncs().catch((error) =>
        console.error("resuming syncs failed:", error),
      );
      await reconcileAllShops();
    } catch (error) {
      console.error("scheduled sync failed:", error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void resumeUnfinishedFullSyncs().catch((error) => console.error("resuming syncs failed:", error));
  return () => clearInterval(timer);
}

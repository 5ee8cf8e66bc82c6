/** The sync jobs' work (the pipeline, app/pipeline.server.ts, says when each runs). */
import { shopsToReconcile } from "~/models/shop.server";
import { hasCompletedFullSync, latestSyncRun, unfinishedSyncRuns } from "~/models/sync-runs.server";
import { gatewayForShop } from "~/shops/access.server";
import type { CustomersChanged } from "./effects";
import { SyncTakenOver } from "./full-sync-errors";
import { isAbandoned, runFullSync } from "./full-sync.server";
import { runReconciliation } from "./reconcile.server";

/** Runs (or continues) the shop's full sync: its first import, "Sync now", a resumed run. */
export async function fullSyncShop(shop: string, customersChanged: CustomersChanged) {
  try {
    const run = await runFullSync(await gatewayForShop(shop), customersChanged);
    return { runId: run.id, status: run.status, records: run.recordsDone };
  } catch (error) {
    // Another process holds the run's lease (the CLI, an instance that took it over): it
    // finishes the run; retrying here would only start another import after it.
    if (!(error instanceof SyncTakenOver)) throw error;
    return { takenOver: true };
  }
}

/** Whether the shop still needs its first full import (after install). */
export async function needsFirstImport(shop: string) {
  return !(await hasCompletedFullSync(shop));
}

/**
 * Installed shops whose latest full sync is unfinished and abandoned: its process died (no lease
 * renewal for a while) or it failed (a download that kept failing, Shopify down). Their syncs are
 * continued, so a bad moment never leaves a shop half-synced until someone presses "Sync now".
 */
export async function shopsWithAbandonedFullSync() {
  const installed = new Set(await shopsToReconcile());
  const shops: string[] = [];
  for (const run of await unfinishedSyncRuns("full")) {
    if (!installed.has(run.shop) || !isAbandoned(run)) continue;
    // Only the shop's latest full run is continued: an older failed one was superseded.
    if ((await latestSyncRun(run.shop, "full"))?.id === run.id) shops.push(run.shop);
  }
  return shops;
}

/** Installed, fully imported shops: the ones reconciliation keeps in step. */
export async function shopsToKeepInStep() {
  const shops: string[] = [];
  for (const shop of await shopsToReconcile())
    if (await hasCompletedFullSync(shop)) shops.push(shop);
  return shops;
}

/** One reconciliation pass over the shop (dropped webhooks are healed within one period). */
export async function reconcileShop(shop: string, customersChanged: CustomersChanged) {
  const { report } = await runReconciliation(await gatewayForShop(shop), customersChanged);
  return report;
}

import { inTransaction } from "~/db.server";
import { parseCheckpoint } from "~/domain/sync/full-sync-checkpoint";
import { refreshPlannerStatistics } from "~/models/bulk-sql.server";
import {
  customerIdsPage,
  customersNotSyncedSince,
  deleteCustomers,
} from "~/models/customers.server";
import { deleteOrders, ordersNotSyncedSince } from "~/models/orders.server";
import { deleteProducts, productsNotSyncedSince } from "~/models/products.server";
import { setSyncCursor } from "~/models/sync-cursors.server";
import { createSyncRun, latestSyncRun } from "~/models/sync-runs.server";
import { addTombstones } from "~/models/tombstones.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import type { CustomersChanged } from "./effects";
import { FullSyncError, SyncTakenOver } from "./full-sync-errors";
import { type FullSyncOptions, FullSyncRun } from "./full-sync-run.server";

/**
 * The shop's unfinished full sync (running, or failed part-way), which a new request continues
 * rather than starting over; null when the last one succeeded or there is none.
 */
async function resumableRun(shop: string) {
  const latest = await latestSyncRun(shop, "full");
  return latest && latest.status !== "succeeded" ? latest : null;
}

/**
 * Runs (or continues) the shop's full sync to the end: one bulk export per phase, streamed into
 * the tables, then the sweep of records Shopify no longer has. Until it succeeds the run stays
 * `running`/`failed`, so a half-synced shop never looks complete.
 */
export async function runFullSync(
  gateway: AdminGateway,
  customersChanged: CustomersChanged,
  options: FullSyncOptions = {},
) {
  const shop = gateway.shop;
  if (activeHere.has(shop)) throw new FullSyncError(`A full sync of ${shop} is already running`);
  activeHere.add(shop);
  try {
    return await fullSync(gateway, customersChanged, options);
  } finally {
    activeHere.delete(shop);
  }
}

async function fullSync(
  gateway: AdminGateway,
  customersChanged: CustomersChanged,
  options: FullSyncOptions,
) {
  const shop = gateway.shop;
  const resumed = await resumableRun(shop);
  const run = resumed ?? (await createSyncRun(shop, "full", parseCheckpoint("{}")));
  const sync = new FullSyncRun(gateway, run, options);
  await sync.takeLease();
  try {
    await sync.plan();
    await sync.exportAll();
    await finalize(shop, run.startedAt, customersChanged);
    return await sync.succeed();
  } catch (error) {
    // A run another process took over is that process's to finish (or fail).
    if (!(error instanceof SyncTakenOver)) await sync.fail(error);
    throw error;
  } finally {
    await sync.release();
  }
}

/**
 * After every export is in: records the sync did not see were deleted in Shopify while the app
 * was not listening; reconciliation continues from when this sync began; segments recompute.
 */
async function finalize(shop: string, startedAt: Date, customersChanged: CustomersChanged) {
  const goneCustomers = await customersNotSyncedSince(shop, startedAt);
  const goneOrders = await ordersNotSyncedSince(shop, startedAt);
  const goneProducts = await productsNotSyncedSince(shop, startedAt);
  const now = new Date();
  const touched = await inTransaction(async (tx) => {
    await addTombstones(tx, shop, [...goneCustomers, ...goneOrders, ...goneProducts], now);
    await deleteCustomers(tx, shop, goneCustomers);
    await deleteProducts(tx, shop, goneProducts);
    return deleteOrders(tx, shop, goneOrders);
  });
  for (const resource of ["customers", "orders", "products"])
    await setSyncCursor(shop, resource, startedAt);
  await refreshPlannerStatistics();
  await customersChanged(shop, [...goneCustomers, ...touched]);
  for (let after: string | null = null; ;) {
    const ids = await customerIdsPage(shop, after, 5_000);
    if (ids.length === 0) break;
    await customersChanged(shop, ids);
    after = ids[ids.length - 1];
  }
}

/** Shops whose full sync this process is running (any caller). */
const activeHere = new Set<string>();

/** Whether nobody is working on this unfinished run any more (crash, restart): no live lease. */
export function isAbandoned(run: { leasedUntil: Date | null }, now = new Date()) {
  return !run.leasedUntil || run.leasedUntil < now;
}

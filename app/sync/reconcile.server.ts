// Reconciliation: reads what changed in Shopify since the last high-water mark (updated_at
// queries) and writes it, so webhooks that never arrived are healed within one cycle; a count
// check finds deletions whose webhooks were lost. Reports what it fixed in SyncRun.report.
import { inTransaction } from "~/db.server";
import {
  emptyReport,
  goneFromShopify,
  orderHistoryStart,
  readSince,
  type ResourceReport,
  tally,
} from "~/domain/sync/reconcile";
import type { SyncedResource } from "~/domain/sync/synced-resource";
import { findShop } from "~/models/shop.server";
import { findStaleIds } from "~/models/sync-compare.server";
import { getSyncCursor, setSyncCursor } from "~/models/sync-cursors.server";
import { createSyncRun, latestSyncRun, updateSyncRun } from "~/models/sync-runs.server";
import { addTombstones, clearTombstones } from "~/models/tombstones.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { RESOURCE_COUNTS } from "~/shopify/operations/sync-queries";
import { customers, orders, products, type ReconciledResource } from "./reconcile-resources.server";
import type { CustomersChanged } from "./effects";

type Json = Record<string, unknown>;

export interface ReconcileReport {
  customers: ResourceReport;
  products: ResourceReport;
  orders: ResourceReport;
  /** Orders older than this were not visible (no read_all_orders) and were left as they are. */
  ordersVisibleSince: string | null;
  skipped?: string;
}

const searchTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

async function* batches<T>(items: AsyncIterable<T>, size: number) {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * Writes the resource's records Shopify updated since `since`, counting in `report` what was
 * missing or stale, and adds the customers whose segments that touches to `changedCustomers`.
 */
async function reconcileUpdates(
  gateway: AdminGateway,
  resource: ReconciledResource,
  since: Date,
  report: ResourceReport,
  changedCustomers: Set<string>,
) {
  const shop = gateway.shop;
  const nodes = gateway.paginate<Json>(
    resource.updatedSince,
    { query: `updated_at:>='${searchTime(since)}'` },
    [resource.name],
  );
  for await (const page of batches(nodes, resource.batchSize)) {
    const batch = await resource.read(gateway, page);
    for (const { verdict, customerIds } of await batch.compare(shop)) {
      tally(report, verdict);
      if (verdict !== "current") for (const id of customerIds) changedCustomers.add(id);
    }
    await inTransaction(async (tx) => {
      await clearTombstones(tx, shop, batch.ids);
      await batch.write(tx, shop);
    });
  }
}

/** Every id Shopify has for a resource (id-only pages). */
async function remoteIds(gateway: AdminGateway, document: string, path: string, query?: string) {
  const ids = new Set<string>();
  for await (const node of gateway.paginate<{ id: string }>(document, query ? { query } : {}, [
    path,
  ]))
    ids.add(node.id);
  return ids;
}

/** The stored ids (read a page at a time) that Shopify no longer has. */
async function goneLocally(remote: Set<string>, page: (after: string | null) => Promise<string[]>) {
  const gone: string[] = [];
  for (let after: string | null = null; ;) {
    const ids = await page(after);
    if (ids.length === 0) break;
    gone.push(...goneFromShopify(ids, remote));
    after = ids[ids.length - 1];
  }
  return gone;
}

/**
 * Deletions whose webhooks never came: when a count differs, compare ids. Only rows written
 * before the sweep began can be removed, so a record created meanwhile is never lost.
 */
async function sweepDeletions(
  gateway: AdminGateway,
  report: ReconcileReport,
  ordersVisibleSince: Date | null,
  changedCustomers: Set<string>,
) {
  const shop = gateway.shop;
  const sweepStart = new Date();
  const createdQuery = (since: Date | null) =>
    since ? `created_at:>='${searchTime(since)}'` : null;
  const counts = await gateway.request<Record<`${SyncedResource}Count`, { count: number }>>(
    RESOURCE_COUNTS,
    { ordersQuery: createdQuery(ordersVisibleSince) },
  );
  // Customers first: a deleted customer's orders are unlinked before orders are swept.
  for (const resource of [customers, orders, products]) {
    const createdSince = resource.historyLimited ? ordersVisibleSince : null;
    const local = await resource.localCount(shop, createdSince ?? undefined);
    if (counts[`${resource.name}Count`].count === local) continue;
    const remote = await remoteIds(
      gateway,
      resource.idsDocument,
      resource.name,
      createdQuery(createdSince) ?? undefined,
    );
    const candidates = await goneLocally(remote, (after) =>
      resource.localIdsPage(shop, after, 5_000, createdSince ?? undefined),
    );
    const gone = await findStaleIds(resource.table, shop, candidates, sweepStart);
    const touched = await inTransaction(async (tx) => {
      await addTombstones(tx, shop, gone, sweepStart);
      return resource.remove(tx, shop, gone);
    });
    for (const id of touched) changedCustomers.add(id);
    report[resource.name].deleted += gone.length;
  }
}

/**
 * One reconciliation pass for the shop. Skipped while a full sync is running (it will set the
 * high-water marks itself). Returns the report, also stored in SyncRun.report.
 */
export async function runReconciliation(
  gateway: AdminGateway,
  customersChanged: CustomersChanged,
  now = new Date(),
) {
  const shop = gateway.shop;
  const full = await latestSyncRun(shop, "full");
  const report: ReconcileReport = {
    customers: emptyReport(),
    products: emptyReport(),
    orders: emptyReport(),
    ordersVisibleSince: null,
  };
  // A running (or interrupted) full sync sets the high-water marks itself when it finishes.
  if (full && full.status !== "succeeded") {
    report.skipped = "a full sync is unfinished";
    return { runId: null, report };
  }
  const run = await createSyncRun(shop, "reconcile", {});
  try {
    const ordersVisibleSince = orderHistoryStart((await findShop(shop))?.scopes ?? "", now);
    report.ordersVisibleSince = ordersVisibleSince?.toISOString() ?? null;
    const changedCustomers = new Set<string>();
    const cursors = new Map<SyncedResource, Date>();
    for (const resource of [customers, products, orders]) {
      await updateSyncRun(run.id, { phase: resource.name });
      const since = readSince(await getSyncCursor(shop, resource.name));
      const passStart = new Date();
      await reconcileUpdates(gateway, resource, since, report[resource.name], changedCustomers);
      cursors.set(resource.name, passStart);
      await updateSyncRun(run.id, {
        recordsDone: report.customers.checked + report.products.checked + report.orders.checked,
      });
    }
    await updateSyncRun(run.id, { phase: "deletions" });
    await sweepDeletions(gateway, report, ordersVisibleSince, changedCustomers);
    for (const [resource, at] of cursors) await setSyncCursor(shop, resource, at);
    await customersChanged(shop, changedCustomers);
    await updateSyncRun(run.id, {
      status: "succeeded",
      phase: "done",
      report,
      finishedAt: new Date(),
    });
    return { runId: run.id, report };
  } catch (error) {
    await updateSyncRun(run.id, {
      status: "failed",
      report,
      error: error instanceof Error ? error.message : String(error),
      finishedAt: new Date(),
    });
    throw error;
  }
}

/** What a reconciliation report says, in one line (CLI, logs). */
export function describeReport(report: ReconcileReport) {
  if (report.skipped) return `skipped: ${report.skipped}`;
  const part = (name: string, r: ResourceReport) =>
    `${name}: ${r.checked} checked, ${r.created} created, ${r.updated} updated, ${r.deleted} deleted`;
  return [
    part("customers", report.customers),
    part("products", report.products),
    part("orders", report.orders),
  ].join("; ");
}

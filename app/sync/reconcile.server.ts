// Reconciliation: reads what changed in Shopify since the last high-water mark (updated_at
// queries) and writes it, so webhooks that never arrived are healed within one cycle; a count
// check finds deletions whose webhooks were lost. Reports what it fixed in SyncRun.report.
import { inTransaction } from "~/db.server";
import { notifyCustomersChanged } from "~/jobs/customer-changes.server";
import {
  countCustomers,
  customerIdsPage,
  deleteCustomers,
  upsertCustomers,
} from "~/models/customers.server";
import {
  countOrders,
  deleteOrders,
  orderIdsPage,
  unlinkOrdersOf,
  upsertOrders,
} from "~/models/orders.server";
import { deleteProducts, productIdsPage, upsertProducts } from "~/models/products.server";
import { findShop } from "~/models/shop.server";
import { getSyncCursor, setSyncCursor } from "~/models/sync-cursors.server";
import { createSyncRun, latestSyncRun, updateSyncRun } from "~/models/sync-runs.server";
import { addTombstones, clearTombstones } from "~/models/tombstones.server";
import { countProducts, findLocalRows, findStaleIds } from "~/models/sync-compare.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import {
  CUSTOMER_IDS,
  CUSTOMERS_UPDATED_SINCE,
  ORDER_IDS,
  ORDER_LINE_ITEMS,
  ORDERS_UPDATED_SINCE,
  PRODUCT_COLLECTIONS,
  PRODUCT_IDS,
  PRODUCTS_UPDATED_SINCE,
  RESOURCE_COUNTS,
} from "~/shopify/operations/sync-queries";
import {
  collectionIdsFromPage,
  customerFromNode,
  type CustomerRow,
  joinCollections,
  lineItemFromNode,
  type LineItemRow,
  orderFromNode,
  type OrderRow,
  productFromNode,
  type ProductRow,
} from "./records";

type Json = Record<string, unknown>;
type Resource = "customers" | "products" | "orders";

/** Re-read this much before the high-water mark: clock skew and same-second writes. */
const OVERLAP_MS = 5 * 60_000;
const BATCH = 250;
export const ORDER_HISTORY_DAYS_WITHOUT_READ_ALL_ORDERS = 60;

export interface ResourceReport {
  checked: number;
  created: number;
  updated: number;
  deleted: number;
}

export interface ReconcileReport {
  customers: ResourceReport;
  products: ResourceReport;
  orders: ResourceReport;
  /** Orders older than this were not visible (no read_all_orders) and were left as they are. */
  ordersVisibleSince: string | null;
  skipped?: string;
}

const emptyReport = (): ResourceReport => ({ checked: 0, created: 0, updated: 0, deleted: 0 });

const searchTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** True when Shopify lets the app read orders of any age (else only the last 60 days). */
export function canReadAllOrders(scopes: string) {
  return scopes
    .split(",")
    .map((scope) => scope.trim())
    .includes("read_all_orders");
}

function sameValue(a: unknown, b: unknown) {
  if (a instanceof Date || b instanceof Date)
    return (
      (a ? new Date(a as Date).getTime() : null) === (b ? new Date(b as Date).getTime() : null)
    );
  return String(a ?? "") === String(b ?? "");
}

/** Counts a remote row as created (not stored) or updated (stored but different). */
function classify(
  report: ResourceReport,
  remote: object,
  local: Record<string, unknown> | undefined,
) {
  report.checked++;
  if (!local) {
    report.created++;
    return true;
  }
  const differs = Object.entries(remote).some(
    ([key, value]) => value !== undefined && key in local && !sameValue(value, local[key]),
  );
  if (differs) report.updated++;
  return differs;
}

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

async function reconcileCustomers(gateway: AdminGateway, since: Date, report: ResourceReport) {
  const shop = gateway.shop;
  const changed = new Set<string>();
  const nodes = gateway.paginate<Json>(
    CUSTOMERS_UPDATED_SINCE,
    { query: `updated_at:>='${searchTime(since)}'` },
    ["customers"],
  );
  for await (const batch of batches(nodes, BATCH)) {
    const rows: CustomerRow[] = batch.map(customerFromNode);
    const local = await findLocalRows(
      "customer",
      shop,
      rows.map((r) => r.id),
    );
    for (const row of rows) if (classify(report, row, local.get(row.id))) changed.add(row.id);
    await inTransaction(async (tx) => {
      await clearTombstones(
        tx,
        shop,
        rows.map((r) => r.id),
      );
      await upsertCustomers(tx, shop, rows);
    });
  }
  return changed;
}

/**
 * A product node as a row with all its collections: when the node's first page of collections was
 * not all of them, they are read again whole, page by page.
 */
async function productRow(gateway: AdminGateway, node: Json): Promise<ProductRow> {
  const row = productFromNode(node);
  const firstPage = node.collections as { pageInfo: { hasNextPage: boolean } };
  if (!firstPage.pageInfo.hasNextPage) return row;
  const nodes: Json[] = [];
  const pages = gateway.paginate<Json>(PRODUCT_COLLECTIONS, { id: row.id }, [
    "product",
    "collections",
  ]);
  for await (const collection of pages) nodes.push(collection);
  return { ...row, collections: joinCollections(collectionIdsFromPage({ nodes })) };
}

async function reconcileProducts(gateway: AdminGateway, since: Date, report: ResourceReport) {
  const shop = gateway.shop;
  const nodes = gateway.paginate<Json>(
    PRODUCTS_UPDATED_SINCE,
    { query: `updated_at:>='${searchTime(since)}'` },
    ["products"],
  );
  for await (const batch of batches(nodes, BATCH)) {
    const rows: ProductRow[] = [];
    for (const node of batch) rows.push(await productRow(gateway, node));
    const local = await findLocalRows(
      "product",
      shop,
      rows.map((r) => r.id),
    );
    for (const row of rows) classify(report, row, local.get(row.id));
    await inTransaction(async (tx) => {
      await clearTombstones(
        tx,
        shop,
        rows.map((r) => r.id),
      );
      await upsertProducts(tx, shop, rows);
    });
  }
}

async function orderLineItems(gateway: AdminGateway, node: Json): Promise<LineItemRow[]> {
  const orderId = String(node.id);
  const connection = node.lineItems as {
    nodes: Json[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  const lines = connection.nodes.map((line) => lineItemFromNode(line, orderId));
  if (connection.pageInfo.hasNextPage) {
    const rest = gateway.paginate<Json>(ORDER_LINE_ITEMS, { id: orderId }, ["order", "lineItems"]);
    const seen = new Set(lines.map((l) => l.id));
    for await (const line of rest) {
      const row = lineItemFromNode(line, orderId);
      if (!seen.has(row.id)) lines.push(row);
    }
  }
  return lines;
}

async function reconcileOrders(
  gateway: AdminGateway,
  since: Date,
  report: ResourceReport,
  changedCustomers: Set<string>,
) {
  const shop = gateway.shop;
  const nodes = gateway.paginate<Json>(
    ORDERS_UPDATED_SINCE,
    { query: `updated_at:>='${searchTime(since)}'` },
    ["orders"],
  );
  for await (const batch of batches(nodes, 100)) {
    const orders: OrderRow[] = batch.map(orderFromNode);
    const lineItems: LineItemRow[] = [];
    for (const node of batch) lineItems.push(...(await orderLineItems(gateway, node)));
    const local = await findLocalRows(
      "order",
      shop,
      orders.map((o) => o.id),
    );
    const localLines = await findLocalRows(
      "lineItem",
      shop,
      lineItems.map((l) => l.id),
    );
    const localLineCounts = await findLocalRows(
      "lineItemCount",
      shop,
      orders.map((o) => o.id),
    );
    for (const order of orders) {
      const lines = lineItems.filter((l) => l.orderId === order.id);
      const linesDiffer =
        Number(localLineCounts.get(order.id)?.count ?? 0) !== lines.length ||
        lines.some((l) => {
          const stored = localLines.get(l.id);
          return !stored || Object.entries(l).some(([k, v]) => !sameValue(v, stored[k]));
        });
      const stored = local.get(order.id);
      const fixed = classify(report, order, stored);
      if (!fixed && stored && linesDiffer) report.updated++;
      if (fixed || linesDiffer) {
        if (order.customerId) changedCustomers.add(order.customerId);
        if (stored?.customerId) changedCustomers.add(String(stored.customerId));
      }
    }
    await inTransaction(async (tx) => {
      await clearTombstones(
        tx,
        shop,
        orders.map((o) => o.id),
      );
      await upsertOrders(tx, shop, orders, lineItems);
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

/** Local ids Shopify no longer has and that were last written before `sweepStart`. */
async function missingLocally(
  remote: Set<string>,
  page: (after: string | null) => Promise<string[]>,
) {
  const gone: string[] = [];
  for (let after: string | null = null; ;) {
    const ids = await page(after);
    if (ids.length === 0) break;
    for (const id of ids) if (!remote.has(id)) gone.push(id);
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
  const ordersQuery = ordersVisibleSince
    ? `created_at:>='${searchTime(ordersVisibleSince)}'`
    : null;
  const counts = await gateway.request<{
    customersCount: { count: number };
    ordersCount: { count: number };
    productsCount: { count: number };
  }>(RESOURCE_COUNTS, { ordersQuery });

  if (counts.customersCount.count !== (await countCustomers(shop))) {
    const remote = await remoteIds(gateway, CUSTOMER_IDS, "customers");
    const candidates = await missingLocally(remote, (after) => customerIdsPage(shop, after, 5_000));
    const gone = await findStaleIds("customer", shop, candidates, sweepStart);
    await inTransaction(async (tx) => {
      await addTombstones(tx, shop, gone, sweepStart);
      for (const id of gone) await unlinkOrdersOf(tx, shop, id);
      await deleteCustomers(tx, shop, gone);
    });
    for (const id of gone) changedCustomers.add(id);
    report.customers.deleted += gone.length;
  }
  const localOrders = await countOrders(shop, ordersVisibleSince ?? undefined);
  if (counts.ordersCount.count !== localOrders) {
    const remote = await remoteIds(gateway, ORDER_IDS, "orders", ordersQuery ?? undefined);
    const candidates = await missingLocally(remote, (after) =>
      orderIdsPage(shop, after, 5_000, ordersVisibleSince ?? undefined),
    );
    const gone = await findStaleIds("order", shop, candidates, sweepStart);
    const owners = await inTransaction(async (tx) => {
      await addTombstones(tx, shop, gone, sweepStart);
      return deleteOrders(tx, shop, gone);
    });
    for (const id of owners) changedCustomers.add(id);
    report.orders.deleted += gone.length;
  }
  const localProducts = await countProducts(shop);
  if (counts.productsCount.count !== localProducts) {
    const remote = await remoteIds(gateway, PRODUCT_IDS, "products");
    const candidates = await missingLocally(remote, (after) => productIdsPage(shop, after, 5_000));
    const gone = await findStaleIds("product", shop, candidates, sweepStart);
    await inTransaction(async (tx) => {
      await addTombstones(tx, shop, gone, sweepStart);
      await deleteProducts(tx, shop, gone);
    });
    report.products.deleted += gone.length;
  }
}

/**
 * One reconciliation pass for the shop. Skipped while a full sync is running (it will set the
 * high-water marks itself). Returns the report, also stored in SyncRun.report.
 */
export async function runReconciliation(gateway: AdminGateway, now = new Date()) {
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
    const scopes = (await findShop(shop))?.scopes ?? "";
    const ordersVisibleSince = canReadAllOrders(scopes)
      ? null
      : new Date(now.getTime() - ORDER_HISTORY_DAYS_WITHOUT_READ_ALL_ORDERS * 86_400_000);
    report.ordersVisibleSince = ordersVisibleSince?.toISOString() ?? null;
    const changedCustomers = new Set<string>();
    const cursors = new Map<Resource, Date>();
    for (const resource of ["customers", "products", "orders"] as const) {
      await updateSyncRun(run.id, { phase: resource });
      const cursor = (await getSyncCursor(shop, resource)) ?? new Date(0);
      const since = new Date(Math.max(0, cursor.getTime() - OVERLAP_MS));
      const passStart = new Date();
      if (resource === "customers")
        for (const id of await reconcileCustomers(gateway, since, report.customers))
          changedCustomers.add(id);
      else if (resource === "products") await reconcileProducts(gateway, since, report.products);
      else await reconcileOrders(gateway, since, report.orders, changedCustomers);
      cursors.set(resource, passStart);
      await updateSyncRun(run.id, {
        recordsDone: report.customers.checked + report.products.checked + report.orders.checked,
      });
    }
    await updateSyncRun(run.id, { phase: "deletions" });
    await sweepDeletions(gateway, report, ordersVisibleSince, changedCustomers);
    for (const [resource, at] of cursors) await setSyncCursor(shop, resource, at);
    await notifyCustomersChanged(shop, changedCustomers);
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

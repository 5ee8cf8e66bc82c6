/**
 * What reconciliation does differently per resource: the queries it reads with, how a page of
 * nodes becomes rows (products and orders read the rest of their collections and line items),
 * how the rows compare with the stored copy, and how records Shopify no longer has are removed.
 */
import type { PrismaDb } from "~/db.server";
import {
  lineItemsDiffer,
  orderVerdict,
  recordVerdict,
  type Verdict,
} from "~/domain/sync/reconcile";
import type { SyncedResource } from "~/domain/sync/synced-resource";
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
import { countProducts, findLocalRows } from "~/models/sync-compare.server";
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
} from "~/shopify/operations/sync-queries";
import {
  collectionIdsFromPage,
  customerFromNode,
  joinCollections,
  lineItemFromNode,
  type LineItemRow,
  orderFromNode,
  productFromNode,
  type ProductRow,
} from "~/domain/sync/records";

type Json = Record<string, unknown>;

/** A record of a batch against its stored copy, and the customers whose segments it touches. */
export interface Comparison {
  verdict: Verdict;
  customerIds: string[];
}

/** A batch of records read from Shopify, to compare with the stored copy, then write. */
export interface ReadBatch {
  ids: string[];
  compare(shop: string): Promise<Comparison[]>;
  write(tx: PrismaDb, shop: string): Promise<unknown>;
}

export interface ReconciledResource {
  name: SyncedResource;
  /** Records updated since a time (an `updated_at:>=` search), read `batchSize` at a time. */
  updatedSince: string;
  batchSize: number;
  read(gateway: AdminGateway, nodes: Json[]): Promise<ReadBatch>;
  /** Without read_all_orders only recent orders are visible, so only they are compared. */
  historyLimited: boolean;
  /** Every id Shopify has (id-only pages). */
  idsDocument: string;
  localCount(shop: string, createdSince?: Date): Promise<number>;
  localIdsPage(
    shop: string,
    after: string | null,
    take: number,
    createdSince?: Date,
  ): Promise<string[]>;
  /** Its rows in findLocalRows and findStaleIds. */
  table: "customer" | "product" | "order";
  /** Deletes records gone from Shopify; returns the customers whose segments that touches. */
  remove(tx: PrismaDb, shop: string, ids: string[]): Promise<string[]>;
}

export const customers: ReconciledResource = {
  name: "customers",
  updatedSince: CUSTOMERS_UPDATED_SINCE,
  batchSize: 250,
  async read(_gateway, nodes) {
    const rows = nodes.map(customerFromNode);
    return {
      ids: rows.map((row) => row.id),
      async compare(shop) {
        const local = await findLocalRows(
          "customer",
          shop,
          rows.map((row) => row.id),
        );
        return rows.map((row) => ({
          verdict: recordVerdict(row, local.get(row.id)),
          customerIds: [row.id],
        }));
      },
      write: (tx, shop) => upsertCustomers(tx, shop, rows),
    };
  },
  historyLimited: false,
  idsDocument: CUSTOMER_IDS,
  localCount: countCustomers,
  localIdsPage: customerIdsPage,
  table: "customer",
  async remove(tx, shop, ids) {
    // The orders stay (they are the shop's), without their customer.
    for (const id of ids) await unlinkOrdersOf(tx, shop, id);
    await deleteCustomers(tx, shop, ids);
    return ids;
  },
};

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

export const products: ReconciledResource = {
  name: "products",
  updatedSince: PRODUCTS_UPDATED_SINCE,
  batchSize: 250,
  async read(gateway, nodes) {
    const rows: ProductRow[] = [];
    for (const node of nodes) rows.push(await productRow(gateway, node));
    return {
      ids: rows.map((row) => row.id),
      async compare(shop) {
        const local = await findLocalRows(
          "product",
          shop,
          rows.map((row) => row.id),
        );
        return rows.map((row) => ({
          verdict: recordVerdict(row, local.get(row.id)),
          customerIds: [],
        }));
      },
      write: (tx, shop) => upsertProducts(tx, shop, rows),
    };
  },
  historyLimited: false,
  idsDocument: PRODUCT_IDS,
  localCount: countProducts,
  localIdsPage: productIdsPage,
  table: "product",
  async remove(tx, shop, ids) {
    await deleteProducts(tx, shop, ids);
    return [];
  },
};

/** An order node's line items, all of them: further pages are read when the node had only some. */
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

export const orders: ReconciledResource = {
  name: "orders",
  updatedSince: ORDERS_UPDATED_SINCE,
  // Orders carry their line items: fewer per batch.
  batchSize: 100,
  async read(gateway, nodes) {
    const rows = nodes.map(orderFromNode);
    const lineItems: LineItemRow[] = [];
    for (const node of nodes) lineItems.push(...(await orderLineItems(gateway, node)));
    return {
      ids: rows.map((row) => row.id),
      async compare(shop) {
        const orderIds = rows.map((row) => row.id);
        const local = await findLocalRows("order", shop, orderIds);
        const localLines = await findLocalRows(
          "lineItem",
          shop,
          lineItems.map((line) => line.id),
        );
        const localLineCounts = await findLocalRows("lineItemCount", shop, orderIds);
        return rows.map((order) => {
          const stored = local.get(order.id);
          const linesDiffer = lineItemsDiffer(
            lineItems.filter((line) => line.orderId === order.id),
            localLines,
            Number(localLineCounts.get(order.id)?.count ?? 0),
          );
          // The customers it belonged to and belongs to now.
          const customerIds = [order.customerId, stored?.customerId].filter(Boolean).map(String);
          return { verdict: orderVerdict(order, stored, linesDiffer), customerIds };
        });
      },
      write: (tx, shop) => upsertOrders(tx, shop, rows, lineItems),
    };
  },
  historyLimited: true,
  idsDocument: ORDER_IDS,
  localCount: countOrders,
  localIdsPage: orderIdsPage,
  table: "order",
  remove: deleteOrders,
};

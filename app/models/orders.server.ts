import prisma, { type PrismaDb, type RawDb } from "~/db.server";
import { replacesStored } from "~/domain/sync/record-version";
import type { LineItemRow, OrderRow } from "~/domain/sync/records";
import { chunks, execute, inJsonList, query, timeText } from "./bulk-sql.server";
import { EncodedRows } from "./bulk-upsert.server";
import { tombstonedAmong } from "./tombstones.server";

const ORDER_COLUMNS = [
  "shop",
  "id",
  "name",
  "customerId",
  "createdAt",
  "processedAt",
  "updatedAt",
  "observedAt",
  "cancelledAt",
  "test",
  "totalCents",
  "discountCents",
  "currencyCode",
  "discountCodes",
  "sourceName",
  "shippingCountry",
  "syncedAt",
];

const LINE_ITEM_COLUMNS = [
  "shop",
  "id",
  "orderId",
  "productId",
  "variantId",
  "quantity",
  "unitPriceCents",
  "giftCard",
];

export interface OrderWrite {
  /** Orders written, plus the customers they belong to (before and after), for notifications. */
  written: string[];
  customerIds: string[];
}

/**
 * Orders and line items to write in one go, in file order. An order whose line items come with it
 * loses line items that are no longer on it. Orders deleted in Shopify are skipped; a stored
 * order that is newer (domain/sync/record-version.ts) is kept, with its line items, though
 * stamped as seen (`syncedAt`, see UpsertSpec.seenAt). Rows wait as
 * JSON text (see EncodedRows) next to what `write` decides on: each order's id, customer and
 * updatedAt, each line item's order.
 */
export class OrderBatch {
  private readonly orderIds: string[] = [];
  private readonly orderCustomers: (string | null)[] = [];
  private readonly orderUpdatedAt: Date[] = [];
  private readonly orders = new EncodedRows({
    table: "Order",
    columns: ORDER_COLUMNS,
    newerBy: "updatedAt",
    tieBrokenBy: "observedAt",
    seenAt: "syncedAt",
  });
  private readonly lineOrderIds: string[] = [];
  private readonly lineItems = new EncodedRows({ table: "LineItem", columns: LINE_ITEM_COLUMNS });

  constructor(
    private readonly shop: string,
    private readonly now = new Date(),
    /** When Shopify had these orders' content (see domain/sync/record-version.ts), if known. */
    private readonly observedAt: Date | null = null,
  ) {}

  get orderCount() {
    return this.orderIds.length;
  }

  get lineItemCount() {
    return this.lineOrderIds.length;
  }

  addOrder(o: OrderRow) {
    this.orderIds.push(o.id);
    this.orderCustomers.push(o.customerId);
    this.orderUpdatedAt.push(o.updatedAt);
    this.orders.add([
      this.shop,
      o.id,
      o.name,
      o.customerId,
      o.createdAt,
      o.processedAt,
      o.updatedAt,
      this.observedAt,
      o.cancelledAt,
      o.test,
      o.totalCents,
      o.discountCents,
      o.currencyCode,
      o.discountCodes,
      o.sourceName,
      o.shippingCountry,
      this.now,
    ]);
    return this;
  }

  addLineItem(l: LineItemRow) {
    this.lineOrderIds.push(l.orderId);
    this.lineItems.add([
      this.shop,
      l.id,
      l.orderId,
      l.productId,
      l.variantId,
      l.quantity,
      l.unitPriceCents,
      l.giftCard,
    ]);
    return this;
  }

  async write(db: RawDb): Promise<OrderWrite> {
    const { shop } = this;
    const deleted = await tombstonedAmong(db, shop, [
      ...new Set([...this.orderIds, ...this.lineOrderIds]),
    ]);
    const liveIds = this.orderIds.filter((id) => !deleted.has(id));
    // Customers the orders belonged to before this write (an order can move on a merge).
    const before = liveIds.length
      ? await query<{
          id: string;
          customerId: string | null;
          updatedAt: unknown;
          observedAt: unknown;
        }>(
          db,
          `SELECT "id", "customerId", ${timeText('"updatedAt"')} AS "updatedAt",
             ${timeText('"observedAt"')} AS "observedAt" FROM "Order"
           WHERE "shop" = ? AND "id" ${inJsonList()}`,
          [shop, JSON.stringify(liveIds)],
        )
      : [];
    const stored = new Map(before.map((row) => [row.id, row]));
    const time = (value: unknown) => (value == null ? null : new Date(value as string | Date));
    const isStale = (id: string, index: number) => {
      const row = stored.get(id);
      if (!row) return false;
      const incoming = { updatedAt: this.orderUpdatedAt[index], observedAt: this.observedAt };
      const current = { updatedAt: time(row.updatedAt)!, observedAt: time(row.observedAt) };
      return !replacesStored(incoming, current);
    };
    // Orders the stored copy is newer than: neither they nor their line items are replaced.
    // (Only live orders were read, so a deleted one never counts as stale.)
    const stale = new Set(this.orderIds.filter(isStale));
    const isFresh = (id: string) => !deleted.has(id) && !stale.has(id);
    // Stale orders go through too: the upsert's guard keeps their content and stamps them as
    // seen, or a full sync's sweep would take them for deleted in Shopify.
    await this.orders.upsert(db, (index) => !deleted.has(this.orderIds[index]));
    const fresh = this.orderIds.filter(isFresh);
    const replaced = fresh.filter((id) => stored.has(id));
    if (replaced.length)
      await execute(db, `DELETE FROM "LineItem" WHERE "shop" = ? AND "orderId" ${inJsonList()}`, [
        shop,
        JSON.stringify(replaced),
      ]);
    await this.lineItems.upsert(db, (index) => isFresh(this.lineOrderIds[index]));
    const customerIds = new Set<string>();
    this.orderIds.forEach((id, index) => {
      if (!isFresh(id)) return;
      const customerId = this.orderCustomers[index];
      if (customerId) customerIds.add(customerId);
      const previous = stored.get(id)?.customerId;
      if (previous) customerIds.add(previous);
    });
    return { written: fresh, customerIds: [...customerIds] };
  }
}

/** Writes orders and line items (see OrderBatch). */
export async function upsertOrders(
  db: RawDb,
  shop: string,
  orders: OrderRow[],
  lineItems: LineItemRow[],
  now = new Date(),
  observedAt: Date | null = null,
): Promise<OrderWrite> {
  const batch = new OrderBatch(shop, now, observedAt);
  for (const order of orders) batch.addOrder(order);
  for (const lineItem of lineItems) batch.addLineItem(lineItem);
  return batch.write(db);
}

/** Deletes orders with their line items; returns the customers they belonged to. */
export async function deleteOrders(db: PrismaDb, shop: string, ids: string[]) {
  const owners = new Set<string>();
  for (const chunk of chunks(ids)) {
    const rows = await db.order.findMany({
      where: { shop, id: { in: chunk }, customerId: { not: null } },
      select: { customerId: true },
    });
    for (const row of rows) owners.add(row.customerId!);
    await db.lineItem.deleteMany({ where: { shop, orderId: { in: chunk } } });
    await db.order.deleteMany({ where: { shop, id: { in: chunk } } });
  }
  return [...owners];
}

/** customers/merge: the merged customer's orders now belong to the kept one. */
export async function moveOrders(
  db: PrismaDb,
  shop: string,
  fromCustomerId: string,
  toCustomerId: string,
) {
  const { count } = await db.order.updateMany({
    where: { shop, customerId: fromCustomerId },
    data: { customerId: toCustomerId },
  });
  return count;
}

export async function ordersNotSyncedSince(shop: string, since: Date) {
  const rows = await prisma.order.findMany({
    where: { shop, syncedAt: { lt: since } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** Local order ids (optionally only those created at/after `createdSince`), a page at a time. */
export async function orderIdsPage(
  shop: string,
  after: string | null,
  take: number,
  createdSince?: Date,
) {
  const rows = await prisma.order.findMany({
    where: {
      shop,
      ...(after ? { id: { gt: after } } : {}),
      ...(createdSince ? { createdAt: { gte: createdSince } } : {}),
    },
    orderBy: { id: "asc" },
    select: { id: true },
    take,
  });
  return rows.map((row) => row.id);
}

export async function countOrders(shop: string, createdSince?: Date) {
  return prisma.order.count({
    where: { shop, ...(createdSince ? { createdAt: { gte: createdSince } } : {}) },
  });
}

/** Totals used to compare the local copy with Shopify (tests, CLI reports). */
export async function localTotals(shop: string) {
  const [customers, products, orders, lineItems, orderSums, lineSums] = await Promise.all([
    prisma.customer.count({ where: { shop } }),
    prisma.product.count({ where: { shop } }),
    prisma.order.count({ where: { shop } }),
    prisma.lineItem.count({ where: { shop } }),
    prisma.order.aggregate({ where: { shop }, _sum: { totalCents: true, discountCents: true } }),
    prisma.lineItem.aggregate({ where: { shop }, _sum: { quantity: true } }),
  ]);
  return {
    customers,
    products,
    orders,
    lineItems,
    totalCents: orderSums._sum.totalCents ?? 0n,
    discountCents: orderSums._sum.discountCents ?? 0n,
    quantity: lineSums._sum.quantity ?? 0,
  };
}

/** customers/delete: the orders stay (they are the shop's), without their customer. */
export async function unlinkOrdersOf(db: PrismaDb, shop: string, customerId: string) {
  const { count } = await db.order.updateMany({
    where: { shop, customerId },
    data: { customerId: null },
  });
  return count;
}

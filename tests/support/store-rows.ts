// Test factory: inserts Customer / Order / LineItem / Product rows directly, shaped as sync
// stores them, so segment tests control every field without going through Shopify.
import prisma from "~/db.server";
import {
  chunks,
  execute,
  JSON_BATCH,
  type JsonType,
  jsonRows,
  jsonRowsParameter,
  refreshPlannerStatistics,
} from "~/models/bulk-sql.server";
import type { Store } from "@persegment/shopify-stand-in";

export const customerGid = (n: number | string) => `gid://shopify/Customer/${n}`;
export const orderGid = (n: number | string) => `gid://shopify/Order/${n}`;
export const productGid = (n: number | string) => `gid://shopify/Product/${n}`;

export interface CustomerInput {
  id: string;
  createdAt?: Date;
  tags?: string;
  countryCode?: string | null;
  provinceCode?: string | null;
  city?: string | null;
  emailMarketingState?: string | null;
  shopifyRfmGroup?: string | null;
}

export interface OrderInput {
  id: string;
  customerId: string | null;
  processedAt: Date;
  totalCents: bigint | number;
  cancelledAt?: Date | null;
  test?: boolean;
  discountCodes?: string;
  sourceName?: string | null;
  lineItems?: { productId: string; quantity?: number; unitPriceCents?: number }[];
}

export interface ProductInput {
  id: string;
  productType?: string;
  vendor?: string;
  collections?: string;
}

const BATCH = 5000;

/**
 * Inserts many rows with one JSON parameter per statement (binding each value separately through
 * the driver adapter is slow for benchmark-sized stores).
 */
async function insertJsonRows(table: string, columns: [string, JsonType][], rows: unknown[][]) {
  for (const batch of chunks(rows, JSON_BATCH))
    await execute(
      prisma,
      `INSERT INTO "${table}" (${columns.map(([name]) => `"${name}"`).join(", ")}) ${jsonRows(columns)}`,
      [jsonRowsParameter(batch)],
    );
}

async function inBatches<T>(items: T[], write: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += BATCH) await write(items.slice(i, i + BATCH));
}

export async function insertCustomers(shop: string, customers: CustomerInput[]) {
  const epoch = new Date("2020-01-01T00:00:00Z");
  await inBatches(customers, (batch) =>
    prisma.customer.createMany({
      data: batch.map((customer) => ({
        shop,
        createdAt: customer.createdAt ?? epoch,
        updatedAt: customer.createdAt ?? epoch,
        ...customer,
      })),
    }),
  );
}

export async function insertProducts(shop: string, products: ProductInput[]) {
  await inBatches(products, (batch) =>
    prisma.product.createMany({
      data: batch.map((product) => ({ shop, title: product.id, handle: product.id, ...product })),
    }),
  );
}

export async function insertOrders(shop: string, orders: OrderInput[]) {
  await inBatches(orders, (batch) =>
    prisma.order.createMany({
      data: batch.map(({ lineItems: _lineItems, totalCents, ...order }) => ({
        shop,
        name: order.id,
        createdAt: order.processedAt,
        updatedAt: order.processedAt,
        totalCents: BigInt(totalCents),
        ...order,
      })),
    }),
  );
  const lineItems = orders.flatMap((order) =>
    (order.lineItems ?? []).map((item, index) => ({
      shop,
      id: `${order.id}/line/${index}`,
      orderId: order.id,
      productId: item.productId,
      quantity: item.quantity ?? 1,
      unitPriceCents: BigInt(item.unitPriceCents ?? 1000),
    })),
  );
  await inBatches(lineItems, (batch) => prisma.lineItem.createMany({ data: batch }));
}

/** Loads a stand-in store into the shop's tables the way a full sync would (bulk, for benchmarks too). */
export async function insertGeneratedStore(shop: string, store: Store) {
  const now = new Date();
  await insertJsonRows(
    "Product",
    [
      ["shop", "text"],
      ["id", "text"],
      ["title", "text"],
      ["handle", "text"],
      ["productType", "text"],
      ["vendor", "text"],
      ["syncedAt", "timestamp"],
    ],
    [...store.products.values()].map((p) => [
      shop,
      productGid(p.id),
      p.title,
      p.handle,
      p.productType,
      p.vendor,
      now,
    ]),
  );
  await insertJsonRows(
    "Customer",
    [
      ["shop", "text"],
      ["id", "text"],
      ["createdAt", "timestamp"],
      ["updatedAt", "timestamp"],
      ["tags", "text"],
      ["countryCode", "text"],
      ["provinceCode", "text"],
      ["city", "text"],
      ["emailMarketingState", "text"],
      ["syncedAt", "timestamp"],
    ],
    [...store.customers.values()].map((c) => [
      shop,
      customerGid(c.id),
      new Date(c.createdAt),
      new Date(c.updatedAt),
      c.tags.join(", "),
      c.address?.countryCode ?? null,
      c.address?.provinceCode ?? null,
      c.address?.city ?? null,
      c.marketingState,
      now,
    ]),
  );
  const orders = [...store.orders.values()];
  await insertJsonRows(
    "Order",
    [
      ["shop", "text"],
      ["id", "text"],
      ["name", "text"],
      ["customerId", "text"],
      ["createdAt", "timestamp"],
      ["processedAt", "timestamp"],
      ["updatedAt", "timestamp"],
      ["cancelledAt", "timestamp"],
      ["test", "boolean"],
      ["totalCents", "bigint"],
      ["discountCents", "bigint"],
      ["discountCodes", "text"],
      ["sourceName", "text"],
      ["syncedAt", "timestamp"],
    ],
    orders.map((o) => [
      shop,
      orderGid(o.id),
      `#${o.number}`,
      o.customerId === null ? null : customerGid(o.customerId),
      new Date(o.createdAt),
      new Date(o.processedAt),
      new Date(o.updatedAt),
      o.cancelledAt === null ? null : new Date(o.cancelledAt),
      o.test,
      o.totalCents,
      o.discountCents,
      o.discountCodes.join(","),
      o.sourceName,
      now,
    ]),
  );
  await insertJsonRows(
    "LineItem",
    [
      ["shop", "text"],
      ["id", "text"],
      ["orderId", "text"],
      ["productId", "text"],
      ["quantity", "int"],
      ["unitPriceCents", "bigint"],
    ],
    orders.flatMap((o) =>
      o.lineItems.map((item) => [
        shop,
        `gid://shopify/LineItem/${item.id}`,
        orderGid(o.id),
        item.productId === null ? null : productGid(item.productId),
        item.quantity,
        item.unitPriceCents,
      ]),
    ),
  );
  // What a full sync does after importing: PostgreSQL plans segment rules from statistics.
  await refreshPlannerStatistics();
}

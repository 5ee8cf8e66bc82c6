// Test factory: inserts Customer / Order / LineItem / Product rows directly, shaped as sync
// stores them, so segment tests control every field without going through Shopify.
import prisma from "~/db.server";
import type { Store } from "../shopify-stand-in/store";

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

/** Loads a stand-in store into the shop's tables the way a full sync would. */
export async function insertGeneratedStore(shop: string, store: Store) {
  // Big stores (benchmarks): build the rows in chunks of customers to bound memory.
  await insertProducts(
    shop,
    [...store.products.values()].map((product) => ({
      id: productGid(product.id),
      productType: product.productType,
      vendor: product.vendor,
    })),
  );
  await insertCustomers(
    shop,
    [...store.customers.values()].map((customer) => ({
      id: customerGid(customer.id),
      createdAt: new Date(customer.createdAt),
      tags: customer.tags.join(", "),
      countryCode: customer.address?.countryCode ?? null,
      provinceCode: customer.address?.provinceCode ?? null,
      city: customer.address?.city ?? null,
      emailMarketingState: customer.marketingState,
    })),
  );
  await insertOrders(
    shop,
    [...store.orders.values()].map((order) => ({
      id: orderGid(order.id),
      customerId: order.customerId === null ? null : customerGid(order.customerId),
      processedAt: new Date(order.processedAt),
      cancelledAt: order.cancelledAt === null ? null : new Date(order.cancelledAt),
      test: order.test,
      totalCents: order.totalCents,
      discountCodes: order.discountCodes.join(","),
      sourceName: order.sourceName,
      lineItems: order.lineItems
        .filter((item) => item.productId !== null)
        .map((item) => ({
          productId: productGid(item.productId as number),
          quantity: item.quantity,
          unitPriceCents: item.unitPriceCents,
        })),
    })),
  );
}

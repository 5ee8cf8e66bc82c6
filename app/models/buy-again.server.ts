import prisma, { concurrentReader } from "~/db.server";
import { forEachCountedOrder } from "./recommendations.server";

/**
 * The counted orders processed at or before `through` with their customer (null: a guest) and
 * the products on their lines: repurchase intervals need the customer, add-on detection every
 * order. Read in pages on the concurrent reader, as the recommender reads them.
 */
export async function loadOrderProducts(shop: string, through: Date) {
  const orders: { customerId: string | null; processedAt: Date; productIds: string[] }[] = [];
  await forEachCountedOrder(concurrentReader, shop, through, ({ customerId, at, productIds }) =>
    orders.push({ customerId, processedAt: new Date(at), productIds }),
  );
  return orders;
}

export interface StoredInterval {
  productId: string;
  days: number;
  repurchases: number;
  repeatCustomers: number;
  customers: number;
}

/** Replaces the shop's replenishable products with `intervals`, in one transaction. */
export async function replaceReplenishableProducts(
  shop: string,
  intervals: readonly StoredInterval[],
  computedAt: Date,
) {
  await prisma.$transaction([
    prisma.replenishableProduct.deleteMany({ where: { shop } }),
    prisma.replenishableProduct.createMany({
      data: intervals.map((interval) => ({ shop, ...interval, computedAt })),
    }),
  ]);
}

/** The shop's replenishable products as last computed, by product id. */
export function loadReplenishableProducts(shop: string): Promise<StoredInterval[]> {
  return prisma.replenishableProduct.findMany({
    where: { shop },
    select: {
      productId: true,
      days: true,
      repurchases: true,
      repeatCustomers: true,
      customers: true,
    },
    orderBy: { productId: "asc" },
  });
}

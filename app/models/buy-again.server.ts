import prisma from "~/db.server";

/**
 * Every counted order (not cancelled, not a test) processed at or before `through`, with its
 * customer (null: a guest) and the products on its lines: repurchase intervals need the customer,
 * add-on detection needs every order.
 */
export async function loadOrderProducts(shop: string, through: Date) {
  const orders = await prisma.order.findMany({
    where: { shop, cancelledAt: null, test: false, processedAt: { lte: through } },
    select: { id: true, customerId: true, processedAt: true },
  });
  const byId = new Map(
    orders.map((order) => [
      order.id,
      { customerId: order.customerId, processedAt: order.processedAt, productIds: [] as string[] },
    ]),
  );
  const lines = await prisma.lineItem.findMany({
    where: { shop, productId: { not: null } },
    select: { orderId: true, productId: true },
  });
  for (const line of lines) byId.get(line.orderId)?.productIds.push(line.productId!);
  return [...byId.values()];
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

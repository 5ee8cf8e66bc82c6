import prisma from "~/db.server";

export interface StoreSummary {
  customers: number;
  orders: number;
  products: number;
  latestSync: {
    kind: string;
    status: string;
    phase: string;
    recordsDone: number;
    recordsTotal: number | null;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
  } | null;
  pendingWebhooks: number;
}

/** What the Overview page shows: how much of the store the app holds and how fresh it is. */
export async function getStoreSummary(shop: string): Promise<StoreSummary> {
  const [customers, orders, products, latestSync, pendingWebhooks] = await Promise.all([
    prisma.customer.count({ where: { shop } }),
    prisma.order.count({ where: { shop } }),
    prisma.product.count({ where: { shop } }),
    prisma.syncRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } }),
    prisma.webhookDelivery.count({ where: { shop, status: "pending" } }),
  ]);
  return {
    customers,
    orders,
    products,
    pendingWebhooks,
    latestSync: latestSync && {
      kind: latestSync.kind,
      status: latestSync.status,
      phase: latestSync.phase,
      recordsDone: latestSync.recordsDone,
      recordsTotal: latestSync.recordsTotal,
      startedAt: latestSync.startedAt.toISOString(),
      finishedAt: latestSync.finishedAt?.toISOString() ?? null,
      error: latestSync.error,
    },
  };
}

import prisma from "~/db.server";

type Row = Record<string, unknown>;

/** Stored rows by id, for comparing with what Shopify returned (reconciliation's report). */
export async function findLocalRows(
  kind: "customer" | "product" | "order" | "lineItem" | "lineItemCount",
  shop: string,
  ids: string[],
): Promise<Map<string, Row>> {
  if (ids.length === 0) return new Map();
  if (kind === "lineItemCount") {
    const counts = await prisma.lineItem.groupBy({
      by: ["orderId"],
      where: { shop, orderId: { in: ids } },
      _count: true,
    });
    return new Map(counts.map((c) => [c.orderId, { count: c._count }]));
  }
  const where = { shop, id: { in: ids } };
  const rows: Row[] =
    kind === "customer"
      ? await prisma.customer.findMany({ where })
      : kind === "product"
        ? await prisma.product.findMany({ where })
        : kind === "order"
          ? await prisma.order.findMany({ where })
          : await prisma.lineItem.findMany({ where });
  return new Map(rows.map((row) => [String(row.id), row]));
}

/** Of `ids`, those whose row was last written before `before` (not touched meanwhile). */
export async function findStaleIds(
  kind: "customer" | "product" | "order",
  shop: string,
  ids: string[],
  before: Date,
) {
  const found: string[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    const where = { shop, id: { in: ids.slice(start, start + 500) }, syncedAt: { lt: before } };
    const select = { id: true } as const;
    const rows =
      kind === "customer"
        ? await prisma.customer.findMany({ where, select })
        : kind === "product"
          ? await prisma.product.findMany({ where, select })
          : await prisma.order.findMany({ where, select });
    found.push(...rows.map((row) => row.id));
  }
  return found;
}

export async function countProducts(shop: string) {
  return prisma.product.count({ where: { shop } });
}

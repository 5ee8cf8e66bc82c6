/**
 * What the segment page shows about people: who entered and left a segment (ids and dates from
 * SegmentEvent), and one customer's stored values, memberships and tag ledger for the "why" panel.
 */
import prisma from "~/db.server";
import { query } from "./bulk-sql.server";
import { toNumber } from "./raw-results.server";

export interface SegmentMovement {
  customerId: string;
  kind: "entered" | "left";
  at: Date;
}

/** Entries and exits of one segment since an instant, newest first, one page of them. */
export async function listSegmentMovements(
  shop: string,
  segmentId: string,
  since: Date,
  page: { offset: number; limit: number },
) {
  const where = { shop, segmentId, at: { gte: since } };
  const [rows, total] = await Promise.all([
    prisma.segmentEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: page.offset,
      take: page.limit,
      select: { customerId: true, kind: true, at: true },
    }),
    prisma.segmentEvent.count({ where }),
  ]);
  return {
    total,
    rows: rows.map((row) => ({ ...row, kind: row.kind as SegmentMovement["kind"] })),
  };
}

/** The stored values of one customer (no names or emails: the app has none). */
export async function findCustomerFacts(shop: string, customerId: string) {
  return prisma.customer.findUnique({
    where: { shop_id: { shop, id: customerId } },
    select: {
      id: true,
      orders: true,
      spentCents: true,
      discountOrders: true,
      firstOrderAt: true,
      lastOrderAt: true,
      r: true,
      f: true,
      m: true,
      rfmGroup: true,
      scoredAt: true,
      createdAt: true,
      tags: true,
      countryCode: true,
      provinceCode: true,
      city: true,
      emailMarketingState: true,
    },
  });
}

/** The share of the shop's buyers who spent less than `spentCents` (the VIP percentile test). */
export async function spendBelowShare(shop: string, spentCents: bigint) {
  const [row] = await query<{ below: unknown; buyers: unknown }>(
    prisma,
    `SELECT COUNT(CASE WHEN c."spentCents" < ? THEN 1 END) AS below, COUNT(*) AS buyers
     FROM "Customer" c WHERE c."shop" = ? AND c."orders" > 0`,
    [spentCents, shop],
  );
  const buyers = toNumber(row?.buyers ?? 0);
  return buyers ? toNumber(row.below) / buyers : null;
}

/** When the customer entered each segment they are in now. */
export async function customerMemberships(shop: string, customerId: string) {
  return prisma.segmentMember.findMany({
    where: { shop, customerId },
    select: { segmentId: true, enteredAt: true },
  });
}

/** The tags the app wrote (or will write, or removed) for one customer, and why. */
export async function customerTagLedger(shop: string, customerId: string) {
  return prisma.tagLedger.findMany({
    where: { shop, customerId },
    orderBy: { tag: "asc" },
    select: {
      tag: true,
      reason: true,
      state: true,
      addedAt: true,
      updatedAt: true,
      segmentId: true,
    },
  });
}

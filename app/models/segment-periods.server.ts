/**
 * Segment performance per period: the replay's inputs (customers, counted orders) read in bulk,
 * and the per-period rows it writes (SegmentPeriodStat) read back for pages and exports.
 */
import prisma from "~/db.server";
import type { PeriodStat, ReplayCustomer } from "~/domain/segments/performance";
import type { Grain } from "~/domain/segments/periods";
import type { ReplayOrder } from "~/domain/segments/replay-shop";
import { chunks, epochMs, inJsonList, jsonAggregate, queryJsonRows } from "./bulk-sql.server";

/** Customers per orders statement: their orders cross as one JSON value of a few MB at most. */
const CUSTOMERS_PER_READ = 5_000;

/**
 * The shop's customers (by createdAt) and their counted orders up to `until` (by processedAt):
 * orders of customers no longer in the table are left out, as the recompute leaves them out.
 */
export async function loadReplayInputs(shop: string, until: Date) {
  const customerRows = await queryJsonRows(
    prisma,
    `SELECT ${jsonAggregate(['c."id"', epochMs('c."createdAt"')])} AS rows FROM "Customer" c WHERE c."shop" = ?`,
    [shop],
  );
  const customers: ReplayCustomer[] = customerRows
    .map(([id, createdAt]) => ({ id: String(id), createdAt: Number(createdAt) }))
    .sort((a, b) => a.createdAt - b.createdAt);
  const orders: ReplayOrder[] = [];
  for (const batch of chunks(customers, CUSTOMERS_PER_READ)) {
    const rows = await queryJsonRows(
      prisma,
      `SELECT ${jsonAggregate([
        'o."customerId"',
        epochMs('o."processedAt"'),
        'CAST(o."totalCents" AS TEXT)',
        `CASE WHEN o."discountCodes" <> '' THEN 1 ELSE 0 END`,
      ])} AS rows
       FROM "Order" o
       WHERE o."shop" = ? AND o."customerId" ${inJsonList()} AND o."cancelledAt" IS NULL
         AND o."test" = false AND o."processedAt" <= ?`,
      [shop, JSON.stringify(batch.map((customer) => customer.id)), until],
    );
    for (const [customerId, at, total, discounted] of rows)
      orders.push({
        customerId: String(customerId),
        at: Number(at),
        totalCents: BigInt(String(total).split(".")[0]),
        usedDiscountCode: Number(discounted) === 1,
      });
  }
  orders.sort((a, b) => a.at - b.at);
  return { customers, orders };
}

/** The shop's rows that exist, as "grain:start:segmentId". */
export async function storedPeriods(shop: string) {
  const rows = await prisma.segmentPeriodStat.findMany({
    where: { shop },
    select: { grain: true, start: true, segmentId: true },
  });
  return new Set(rows.map((row) => `${row.grain}:${row.start}:${row.segmentId}`));
}

/** Replaces the rows of the periods in `stats`, and drops rows of periods no longer kept. */
export async function writePeriodStats(
  shop: string,
  stats: PeriodStat[],
  kept: { grain: Grain; start: string }[],
  computedAt: Date,
) {
  const keptStarts = (grain: Grain) => kept.filter((p) => p.grain === grain).map((p) => p.start);
  const written = [...new Set(stats.map((stat) => `${stat.grain}:${stat.start}`))].map((key) => {
    const [grain, start] = key.split(":");
    return { grain, start };
  });
  await prisma.$transaction([
    ...(["day", "week", "month"] as const).map((grain) =>
      prisma.segmentPeriodStat.deleteMany({
        where: { shop, grain, start: { notIn: keptStarts(grain) } },
      }),
    ),
    // At most a few hundred periods: one statement.
    prisma.segmentPeriodStat.deleteMany({ where: { shop, OR: written } }),
    ...chunks(stats, 1_000).map((batch) =>
      prisma.segmentPeriodStat.createMany({
        data: batch.map((stat) => ({ shop, ...stat, computedAt })),
      }),
    ),
  ]);
}

/** A grain's rows from `fromStart` on, oldest first (all segments, or one). */
export function loadPeriodStats(shop: string, grain: Grain, fromStart: string, segmentId?: string) {
  return prisma.segmentPeriodStat.findMany({
    where: { shop, grain, start: { gte: fromStart }, ...(segmentId ? { segmentId } : {}) },
    orderBy: [{ start: "asc" }, { segmentId: "asc" }],
  });
}

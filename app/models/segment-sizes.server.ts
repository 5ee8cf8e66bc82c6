/** Segment sizes: each segment's member count and its daily size and revenue history. */
import prisma, { type RawDb } from "~/db.server";
import type { SegmentSize } from "~/domain/segments/memberships";
import { execute, inJsonList, jsonRows, jsonRowsParameter, query, typed } from "./bulk-sql.server";
import { toBigInt, toNumber } from "./raw-results.server";

// Named apart from the tables' columns, which the statements reading these rows also touch.
const SIZE_ROWS = jsonRows([
  ["sid", "text"],
  ["size", "int"],
  ["revenue", "bigint"],
  ["ordersCount", "int"],
]);

const sizeRows = (sizes: SegmentSize[]) =>
  jsonRowsParameter(
    sizes.map((size) => [size.segmentId, size.members, size.revenueCents, size.orders]),
  );

/** Sets memberCount and today's (as-of's UTC day) size, revenue and orders for each segment. */
export async function writeSegmentSizes(
  db: RawDb,
  shop: string,
  sizes: SegmentSize[],
  day: string,
) {
  if (sizes.length === 0) return;
  await execute(
    db,
    `UPDATE "Segment" SET "memberCount" = v."size" FROM (${SIZE_ROWS}) v WHERE "Segment"."id" = v."sid"`,
    [sizeRows(sizes)],
  );
  await execute(
    db,
    `INSERT INTO "SegmentDailyStat" ("shop", "segmentId", "day", "members", "revenueCents", "orders")
     SELECT ${typed("text")}, v."sid", ${typed("text")}, v."size", v."revenue", v."ordersCount" FROM (${SIZE_ROWS}) v WHERE true
     ON CONFLICT ("segmentId", "day") DO UPDATE SET "members" = excluded."members",
       "revenueCents" = excluded."revenueCents", "orders" = excluded."orders"`,
    [shop, day, sizeRows(sizes)],
  );
}

/** Members and revenue (spend of current members) of the given segments, from the database. */
export async function measureSegments(shop: string, segmentIds: string[], db: RawDb = prisma) {
  if (segmentIds.length === 0) return [];
  const rows = await query<{ segmentId: string; n: unknown; revenue: unknown; orders: unknown }>(
    db,
    `SELECT m."segmentId" AS "segmentId", COUNT(*) AS n, CAST(SUM(c."spentCents") AS TEXT) AS revenue,
            SUM(c."orders") AS orders
     FROM "SegmentMember" m JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
     WHERE m."shop" = ? AND m."segmentId" ${inJsonList()}
     GROUP BY m."segmentId"`,
    [shop, JSON.stringify(segmentIds)],
  );
  const byId = new Map(rows.map((row) => [row.segmentId, row]));
  return segmentIds.map((segmentId) => {
    const row = byId.get(segmentId);
    return {
      segmentId,
      members: toNumber(row?.n),
      revenueCents: toBigInt(row?.revenue),
      orders: toNumber(row?.orders),
    };
  });
}

/** Daily sizes of the shop's segments from `fromDay` (YYYY-MM-DD) on. */
export async function loadDailyStats(shop: string, fromDay: string, segmentId?: string) {
  return prisma.segmentDailyStat.findMany({
    where: { shop, day: { gte: fromDay }, ...(segmentId ? { segmentId } : {}) },
    orderBy: { day: "asc" },
  });
}

/**
 * Applies incremental size changes: memberCount moves by the delta, and today's row follows it.
 * A segment without a row for today gets one measured from the database (once a day).
 */
export async function adjustSegmentSizes(
  db: RawDb,
  shop: string,
  deltas: SegmentSize[],
  day: string,
) {
  if (deltas.length === 0) return;
  await execute(
    db,
    `UPDATE "Segment" SET "memberCount" = "memberCount" + v."size" FROM (${SIZE_ROWS}) v WHERE "Segment"."id" = v."sid"`,
    [sizeRows(deltas)],
  );
  await execute(
    db,
    `UPDATE "SegmentDailyStat" SET "members" = "members" + v."size",
       "revenueCents" = "revenueCents" + v."revenue", "orders" = "orders" + v."ordersCount"
     FROM (${SIZE_ROWS}) v WHERE "SegmentDailyStat"."segmentId" = v."sid" AND "SegmentDailyStat"."day" = ?`,
    [sizeRows(deltas), day],
  );
  // Memberships are already applied, so the measured rows include this change.
  const missing = await query<{ segmentId: string }>(
    db,
    `SELECT v."sid" AS "segmentId" FROM (${SIZE_ROWS}) v
     WHERE NOT EXISTS (SELECT 1 FROM "SegmentDailyStat" d WHERE d."segmentId" = v."sid" AND d."day" = ?)`,
    [sizeRows(deltas), day],
  );
  if (missing.length > 0)
    await writeSegmentSizes(
      db,
      shop,
      await measureSegments(
        shop,
        missing.map((row) => row.segmentId),
        db,
      ),
      day,
    );
}

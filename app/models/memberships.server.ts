/** Segment memberships and their history (an event per entry and exit), in bulk statements. */
import prisma, { type RawDb } from "~/db.server";
import type { MembershipChange } from "~/domain/segments/memberships";
import {
  chunks,
  execute,
  inJsonList,
  JSON_BATCH,
  jsonRows,
  postgres,
  query,
  typed,
} from "./bulk-sql.server";
import { toNumber } from "./raw-results.server";

/**
 * Current members of the given segments, as segment id -> customer ids: all of them, or only
 * those among `customerIds`.
 */
export async function loadMemberships(
  db: RawDb,
  shop: string,
  segmentIds: string[],
  customerIds?: string[],
) {
  const members = new Map<string, string[]>(segmentIds.map((id) => [id, []]));
  if (segmentIds.length === 0 || customerIds?.length === 0) return members;
  const list = (ids: string[]) => ids.map(() => "?").join(", ");
  const aggregate = postgres
    ? `CAST(json_agg("customerId") AS TEXT)`
    : `json_group_array("customerId")`;
  // Bound id lists (not one JSON parameter) let both planners see how few values there are.
  // The whole shop is read along the (segmentId, customerId) primary key: no sort, no table
  // lookups, and one id list per segment keeps the JSON about half as long as pairs would.
  const batches = customerIds
    ? chunks(customerIds).map((ids) => ({
        sql: `"shop" = ? AND "customerId" IN (${list(ids)}) AND "segmentId" IN (${list(segmentIds)})`,
        params: [shop, ...ids, ...segmentIds],
      }))
    : [{ sql: `"segmentId" IN (${list(segmentIds)})`, params: segmentIds }];
  for (const batch of batches) {
    const rows = await query<{ segmentId: string; ids: string }>(
      db,
      `SELECT "segmentId" AS "segmentId", ${aggregate} AS ids FROM "SegmentMember"
       WHERE ${batch.sql} GROUP BY "segmentId"`,
      batch.params,
    );
    for (const row of rows) {
      const ids = JSON.parse(row.ids) as string[];
      const list = members.get(row.segmentId);
      if (list?.length === 0) members.set(row.segmentId, ids);
      else for (const id of ids) list?.push(id);
    }
  }
  return members;
}

/** Applies entries and exits and records each as a SegmentEvent at `at`. */
export async function applyMembershipChanges(
  db: RawDb,
  shop: string,
  changes: MembershipChange[],
  at: Date,
) {
  const entered = changes.flatMap((change) =>
    change.entered.map((customerId) => [change.segmentId, customerId]),
  );
  const left = changes.flatMap((change) =>
    change.left.map((customerId) => [change.segmentId, customerId]),
  );
  const pairs = jsonRows([
    ["segmentId", "text"],
    ["customerId", "text"],
  ]);
  for (const batch of chunks(entered, JSON_BATCH))
    await execute(
      db,
      // "WHERE true" lets SQLite parse ON CONFLICT after INSERT … SELECT.
      `INSERT INTO "SegmentMember" ("shop", "segmentId", "customerId", "enteredAt")
       SELECT ${typed("text")}, v."segmentId", v."customerId", ${typed("timestamp")} FROM (${pairs}) v WHERE true
       ON CONFLICT DO NOTHING`,
      [shop, at, JSON.stringify(batch)],
    );
  for (const batch of chunks(left, JSON_BATCH))
    await execute(
      db,
      `DELETE FROM "SegmentMember" WHERE ("segmentId", "customerId") IN (SELECT v."segmentId", v."customerId" FROM (${pairs}) v)`,
      [JSON.stringify(batch)],
    );
  const events = [
    ...entered.map(([segmentId, customerId]) => [segmentId, customerId, "entered"]),
    ...left.map(([segmentId, customerId]) => [segmentId, customerId, "left"]),
  ];
  for (const batch of chunks(events, JSON_BATCH))
    await execute(
      db,
      `INSERT INTO "SegmentEvent" ("shop", "segmentId", "customerId", "kind", "at")
       SELECT ${typed("text")}, v."segmentId", v."customerId", v."kind", ${typed("timestamp")}
       FROM (${jsonRows([
         ["segmentId", "text"],
         ["customerId", "text"],
         ["kind", "text"],
       ])}) v`,
      [shop, at, JSON.stringify(batch)],
    );
}

/** Membership events since an instant (optionally of one segment), oldest first. */
export async function loadSegmentEvents(
  shop: string,
  since: Date,
  segmentId?: string,
  limit = 50_000,
) {
  return prisma.segmentEvent.findMany({
    where: { shop, at: { gte: since }, ...(segmentId ? { segmentId } : {}) },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take: limit,
  });
}

/** When the shop's memberships last changed (the latest entry or exit), or null. */
export async function lastSegmentChange(shop: string) {
  const latest = await prisma.segmentEvent.aggregate({ where: { shop }, _max: { at: true } });
  return latest._max.at;
}

/** Entries and exits per segment (or of one segment) since an instant. */
export async function countSegmentEvents(shop: string, since: Date, segmentId?: string) {
  const rows = await prisma.segmentEvent.groupBy({
    by: ["segmentId", "kind"],
    where: { shop, at: { gte: since }, ...(segmentId ? { segmentId } : {}) },
    _count: { _all: true },
  });
  return rows.map((row) => ({ segmentId: row.segmentId, kind: row.kind, count: row._count._all }));
}

/**
 * Customers who left one of `segmentIds` and entered another at the same instant since `since`,
 * per pair: a recompute records a move between RFM groups as an exit and an entry at one instant.
 */
export async function countMovesBetween(shop: string, segmentIds: string[], since: Date) {
  if (segmentIds.length === 0) return [];
  const rows = await query<{ fromId: string; toId: string; customers: unknown }>(
    prisma,
    `SELECT l."segmentId" AS "fromId", e."segmentId" AS "toId", COUNT(*) AS customers
       FROM "SegmentEvent" l JOIN "SegmentEvent" e ON e."shop" = l."shop"
        AND e."customerId" = l."customerId" AND e."at" = l."at" AND e."kind" = 'entered'
      WHERE l."shop" = ? AND l."at" >= ? AND l."kind" = 'left'
        AND l."segmentId" ${inJsonList()} AND e."segmentId" ${inJsonList()}
      GROUP BY l."segmentId", e."segmentId"`,
    [shop, since, JSON.stringify(segmentIds), JSON.stringify(segmentIds)],
  );
  return rows.map((row) => ({
    fromId: row.fromId,
    toId: row.toId,
    customers: toNumber(row.customers),
  }));
}

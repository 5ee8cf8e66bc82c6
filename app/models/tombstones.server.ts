/** Tombstones: records deleted in Shopify, which a late update or a replay must not bring back. */
import type { PrismaDb, RawDb } from "~/db.server";
import { chunks, inJsonList, query } from "./bulk-sql.server";
import { upsertRows } from "./bulk-upsert.server";

export async function addTombstones(db: RawDb, shop: string, ids: string[], deletedAt: Date) {
  if (ids.length === 0) return;
  await upsertRows(
    db,
    { table: "SyncTombstone", columns: ["shop", "id", "deletedAt"] },
    ids.map((id) => [shop, id, deletedAt]),
  );
}

/** Which of `ids` were deleted in Shopify (and must not be written again). */
export async function tombstonedAmong(db: RawDb, shop: string, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await query<{ id: string }>(
    db,
    `SELECT "id" FROM "SyncTombstone" WHERE "shop" = ? AND "id" ${inJsonList()}`,
    [shop, JSON.stringify(ids)],
  );
  return new Set(rows.map((row) => row.id));
}

/** Shopify says these exist after all (an authoritative read): forget their deletion. */
export async function clearTombstones(db: PrismaDb, shop: string, ids: string[]) {
  for (const chunk of chunks(ids))
    await db.syncTombstone.deleteMany({ where: { shop, id: { in: chunk } } });
}

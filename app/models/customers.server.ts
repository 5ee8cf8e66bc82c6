import prisma, { type PrismaDb, type RawDb } from "~/db.server";
import type { CustomerRow } from "~/domain/sync/records";
import { chunks, inJsonList, query } from "./bulk-sql.server";
import { LiveRows } from "./live-rows.server";

const BASE_COLUMNS = [
  "shop",
  "id",
  "createdAt",
  "updatedAt",
  "observedAt",
  "tags",
  "countryCode",
  "provinceCode",
  "city",
  "emailMarketingState",
  "numberOfOrders",
  "amountSpentCents",
  "syncedAt",
];

/**
 * Customers to write in one go, skipping ids deleted in Shopify; a stored row that is newer
 * (domain/sync/record-version.ts, `observedAt` breaking updatedAt ties) is kept, though stamped
 * as seen (`syncedAt`, see UpsertSpec.seenAt). Rows carrying
 * shopifyRfmGroup (GraphQL reads) also set it; webhook rows leave it as stored. A full sync's
 * import fills one per batch.
 */
export function customerBatch(shop: string, now = new Date(), observedAt: Date | null = null) {
  return new LiveRows<CustomerRow>(
    shop,
    {
      table: "Customer",
      columns: BASE_COLUMNS,
      keepOnConflict: ["createdAt"],
      newerBy: "updatedAt",
      tieBrokenBy: "observedAt",
      seenAt: "syncedAt",
      optional: "shopifyRfmGroup",
    },
    (row) => ({
      values: [
        shop,
        row.id,
        row.createdAt,
        row.updatedAt,
        observedAt,
        row.tags,
        row.countryCode,
        row.provinceCode,
        row.city,
        row.emailMarketingState,
        row.numberOfOrders,
        row.amountSpentCents,
        now,
      ],
      optional: row.shopifyRfmGroup,
    }),
  );
}

/** Writes customers (see customerBatch); returns the ids written or kept. */
export async function upsertCustomers(
  db: RawDb,
  shop: string,
  rows: CustomerRow[],
  now = new Date(),
  observedAt: Date | null = null,
) {
  return customerBatch(shop, now, observedAt).addAll(rows).write(db);
}

/** Deletes customers with their predictions (memberships follow at the next recompute). */
export async function deleteCustomers(db: PrismaDb, shop: string, ids: string[]) {
  let deleted = 0;
  for (const chunk of chunks(ids)) {
    await db.customerPrediction.deleteMany({ where: { shop, customerId: { in: chunk } } });
    deleted += (await db.customer.deleteMany({ where: { shop, id: { in: chunk } } })).count;
  }
  return deleted;
}

export async function findCustomerSyncState(db: PrismaDb, shop: string, id: string) {
  return db.customer.findUnique({
    where: { shop_id: { shop, id } },
    select: { tags: true, updatedAt: true, observedAt: true },
  });
}

/** Sets the customer's tags as they were at `observedAt` (which the row then carries). */
export async function setCustomerTags(
  db: PrismaDb,
  shop: string,
  id: string,
  tags: string,
  observedAt: Date,
) {
  await db.customer.updateMany({ where: { shop, id }, data: { tags, observedAt } });
}

/** Customer ids of the shop, a page at a time (id order), for sweeps and full notifications. */
export async function customerIdsPage(shop: string, after: string | null, take: number) {
  const rows = await prisma.customer.findMany({
    where: { shop, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    select: { id: true },
    take,
  });
  return rows.map((row) => row.id);
}

/** Which of `ids` the shop's customer table has. */
export async function knownCustomerIds(db: RawDb, shop: string, ids: string[]) {
  const known = new Set<string>();
  for (const batch of chunks(ids)) {
    const rows = await query<{ id: string }>(
      db,
      `SELECT "id" FROM "Customer" WHERE "shop" = ? AND "id" ${inJsonList()}`,
      [shop, JSON.stringify(batch)],
    );
    for (const row of rows) known.add(row.id);
  }
  return known;
}

export async function countCustomers(shop: string) {
  return prisma.customer.count({ where: { shop } });
}

/** Customers a full sync did not see (syncedAt before it started): deleted in Shopify meanwhile. */
export async function customersNotSyncedSince(shop: string, since: Date) {
  const rows = await prisma.customer.findMany({
    where: { shop, syncedAt: { lt: since } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

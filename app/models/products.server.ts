import prisma, { type PrismaDb, type RawDb } from "~/db.server";
import type { ProductRow } from "~/domain/sync/records";
import { chunks } from "./bulk-sql.server";
import { LiveRows } from "./live-rows.server";

const COLUMNS = [
  "shop",
  "id",
  "title",
  "handle",
  "productType",
  "vendor",
  "tags",
  "status",
  "updatedAt",
  "observedAt",
  "syncedAt",
];

/**
 * Writes products unless the stored copy is newer (domain/sync/record-version.ts; it is stamped
 * as seen all the same, see UpsertSpec.seenAt); rows with `collections` set them, others
 * (webhooks) keep what is stored.
 */
export async function upsertProducts(
  db: RawDb,
  shop: string,
  rows: ProductRow[],
  now = new Date(),
  observedAt: Date | null = null,
) {
  return new LiveRows<ProductRow>(
    shop,
    {
      table: "Product",
      columns: COLUMNS,
      newerBy: "updatedAt",
      tieBrokenBy: "observedAt",
      seenAt: "syncedAt",
      optional: "collections",
    },
    (row) => ({
      values: [
        shop,
        row.id,
        row.title,
        row.handle,
        row.productType,
        row.vendor,
        row.tags,
        row.status,
        row.updatedAt,
        observedAt,
        now,
      ],
      optional: row.collections,
    }),
  )
    .addAll(rows)
    .write(db);
}

export async function deleteProducts(db: PrismaDb, shop: string, ids: string[]) {
  let deleted = 0;
  for (const chunk of chunks(ids))
    deleted += (await db.product.deleteMany({ where: { shop, id: { in: chunk } } })).count;
  return deleted;
}

export async function productsNotSyncedSince(shop: string, since: Date) {
  const rows = await prisma.product.findMany({
    where: { shop, syncedAt: { lt: since } },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

export async function productIdsPage(shop: string, after: string | null, take: number) {
  const rows = await prisma.product.findMany({
    where: { shop, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    select: { id: true },
    take,
  });
  return rows.map((row) => row.id);
}

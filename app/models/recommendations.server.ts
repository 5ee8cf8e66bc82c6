import prisma, { concurrentReader, exclusiveTransaction, type RawDb } from "~/db.server";
import { BasketLog } from "~/domain/upsell/basket-log";
import type { UpsellOverrides } from "~/domain/upsell/overrides";
import type { RecommendationPick } from "~/domain/upsell/recommender";
import {
  chunks,
  epochMs,
  execute,
  jsonAggregate,
  jsonRows,
  jsonRowsParameter,
  nextTurn,
  query,
  queryJsonRows,
  typed,
} from "./bulk-sql.server";

/** Orders per read: bounds the JSON crossing the driver at once (about 20,000 lines). */
const ORDERS_PER_READ = 5_000;
/**
 * Picks per insert statement. SQLite runs statements on this thread: a few tens of milliseconds
 * each, with a turn of the event loop between them.
 */
const PICKS_PER_INSERT = 2_000;

/** A counted order as the recommender and the buy-again intervals read it. */
export interface CountedOrderProducts {
  /** Null for a guest's order. */
  customerId: string | null;
  /** Processed at, epoch milliseconds. */
  at: number;
  productIds: string[];
}

/**
 * Every order processed at or before `through` that is not cancelled and not a test and has a
 * product on its lines, with its customer and those products. Read a page of orders at a time,
 * along the (shop, id) key and the covering (shop, orderId, productId) line index, and handed to
 * `visit` one by one: no large shop's orders are ever held as objects all at once.
 */
export async function forEachCountedOrder(
  db: RawDb,
  shop: string,
  through: Date,
  visit: (order: CountedOrderProducts) => void,
) {
  const counted = `o."shop" = ? AND o."cancelledAt" IS NULL AND o."test" = false AND o."processedAt" <= ?`;
  let after = "";
  for (;;) {
    // The last order id of the page (none: the rest of the shop fits in it).
    const [bound] = await query<{ id: string }>(
      db,
      `SELECT o."id" AS id FROM "Order" o WHERE ${counted} AND o."id" > ?
       ORDER BY o."id" LIMIT 1 OFFSET ${ORDERS_PER_READ - 1}`,
      [shop, through, after],
    );
    const rows = await queryJsonRows(
      db,
      `SELECT ${jsonAggregate(['o."id"', 'o."customerId"', epochMs('o."processedAt"'), 'l."productId"'])} AS rows
       FROM "Order" o
       JOIN "LineItem" l ON l."shop" = o."shop" AND l."orderId" = o."id" AND l."productId" IS NOT NULL
       WHERE ${counted} AND o."id" > ? ${bound ? 'AND o."id" <= ?' : ""}`,
      bound ? [shop, through, after, bound.id] : [shop, through, after],
    );
    const orders = new Map<string, CountedOrderProducts>();
    for (const [orderId, customerId, at, productId] of rows) {
      const order = orders.get(orderId as string);
      if (order) order.productIds.push(productId as string);
      else
        orders.set(orderId as string, {
          customerId: (customerId as string | null) ?? null,
          at: Number(at),
          productIds: [productId as string],
        });
    }
    for (const order of orders.values()) visit(order);
    if (!bound) return;
    after = bound.id;
  }
}

/**
 * Order baskets for recommendations: the counted orders up to `through` (guest orders count too:
 * buying habits, not customers), in one compact log.
 */
export async function loadBasketLog(db: RawDb, shop: string, through: Date): Promise<BasketLog> {
  const log = new BasketLog();
  await forEachCountedOrder(db, shop, through, (order) => log.add(order.at, order.productIds));
  return log;
}

/**
 * Products bought as gift cards (Shopify marks the line): never recommended. No index holds the
 * mark, so this visits every line of the shop: on the concurrent reader (SQLite: a worker
 * thread), a large shop's second of it does not hold up requests.
 */
export async function giftCardProductIds(shop: string): Promise<Set<string>> {
  const rows = await query<{ id: string }>(
    concurrentReader,
    `SELECT DISTINCT "productId" AS id FROM "LineItem"
     WHERE "shop" = ? AND "giftCard" = true AND "productId" IS NOT NULL`,
    [shop],
  );
  return new Set(rows.map((row) => row.id));
}

/** Products a shopper can be sent to: active in the store (drafts and archived ones are not). */
export async function activeProductIds(shop: string): Promise<Set<string>> {
  return new Set((await activeProducts(shop)).map((row) => row.id));
}

/** Active products with what fills are drawn from: their type and collections. */
export async function activeProducts(shop: string) {
  return prisma.product.findMany({
    where: { shop, status: "ACTIVE" },
    select: { id: true, productType: true, collections: true },
  });
}

export async function productTitles(shop: string, ids: string[]) {
  const rows = await prisma.product.findMany({
    where: { shop, id: { in: ids } },
    select: { id: true, title: true, status: true },
  });
  return new Map(rows.map((row) => [row.id, row]));
}

/** Products most often ordered (by lines), for the admin's upsell list. */
export async function popularProducts(shop: string, take: number) {
  const counts = await prisma.lineItem.groupBy({
    by: ["productId"],
    where: { shop, productId: { not: null } },
    _count: { _all: true },
    orderBy: { _count: { productId: "desc" } },
    take,
  });
  const titles = await productTitles(
    shop,
    counts.map((row) => row.productId!),
  );
  return counts.map((row) => ({
    id: row.productId!,
    title: titles.get(row.productId!)?.title ?? row.productId!,
    lines: row._count._all,
  }));
}

/**
 * The shop's products whose title contains `query`, ignoring case on both databases (Prisma's
 * `contains` is case-sensitive on PostgreSQL), active ones first, then by title.
 */
export async function searchProducts(shop: string, query: string, take = 20) {
  const pattern = `%${query.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return prisma.$queryRaw<{ id: string; title: string; status: string }[]>`
    SELECT "id", "title", "status" FROM "Product"
    WHERE "shop" = ${shop} AND LOWER("title") LIKE ${pattern} ESCAPE '\\'
    ORDER BY CASE WHEN "status" = 'ACTIVE' THEN 0 ELSE 1 END, "title", "id"
    LIMIT ${take}`;
}

const PICK_COLUMNS: [name: string, type: "text" | "int" | "float"][] = [
  ["productId", "text"],
  ["recommendedId", "text"],
  ["rank", "int"],
  ["score", "float"],
  ["support", "int"],
  ["source", "text"],
];

/**
 * Replaces the shop's computed recommendations in one transaction, a few thousand rows per
 * statement crossing the driver as one JSON parameter.
 */
export async function replaceRecommendations(shop: string, picks: RecommendationPick[]) {
  await exclusiveTransaction(`recommendations:${shop}`, async (db) => {
    await execute(db, `DELETE FROM "Recommendation" WHERE "shop" = ?`, [shop]);
    const names = PICK_COLUMNS.map(([name]) => `"${name}"`).join(", ");
    for (const batch of chunks(picks, PICKS_PER_INSERT)) {
      await nextTurn();
      await execute(
        db,
        `INSERT INTO "Recommendation" ("shop", ${names})
         SELECT ${typed("text")}, ${PICK_COLUMNS.map(([name]) => `v."${name}"`).join(", ")}
         FROM (${jsonRows(PICK_COLUMNS)}) v`,
        [
          shop,
          jsonRowsParameter(
            batch.map((pick) => [
              pick.productId,
              pick.recommendedId,
              pick.rank,
              pick.score,
              pick.support,
              pick.source,
            ]),
          ),
        ],
      );
    }
  });
}

/** Computed picks per product, best first. */
export async function loadRecommendations(shop: string): Promise<Map<string, string[]>> {
  const rows = await prisma.recommendation.findMany({
    where: { shop },
    orderBy: [{ productId: "asc" }, { rank: "asc" }],
    select: { productId: true, recommendedId: true },
  });
  const byProduct = new Map<string, string[]>();
  for (const row of rows)
    byProduct.set(row.productId, [...(byProduct.get(row.productId) ?? []), row.recommendedId]);
  return byProduct;
}

export async function recommendationsFor(shop: string, productId: string) {
  return prisma.recommendation.findMany({ where: { shop, productId }, orderBy: { rank: "asc" } });
}

const splitIds = (joined: string) => (joined ? joined.split(",") : []);

export async function loadOverrides(shop: string): Promise<Map<string, UpsellOverrides>> {
  const rows = await prisma.upsellOverride.findMany({ where: { shop } });
  return new Map(
    rows.map((row) => [
      row.productId,
      { pinned: splitIds(row.pinned), excluded: splitIds(row.excluded) },
    ]),
  );
}

export async function saveOverride(shop: string, productId: string, overrides: UpsellOverrides) {
  if (overrides.pinned.length === 0 && overrides.excluded.length === 0) {
    await prisma.upsellOverride.deleteMany({ where: { shop, productId } });
    return;
  }
  const data = { pinned: overrides.pinned.join(","), excluded: overrides.excluded.join(",") };
  // The overrides as stored (pins in order, exclusions in any order): nothing to write.
  const current = await prisma.upsellOverride.findUnique({
    where: { shop_productId: { shop, productId } },
  });
  if (current && current.pinned === data.pinned) {
    const stored = splitIds(current.excluded);
    if (
      stored.length === overrides.excluded.length &&
      overrides.excluded.every((id) => stored.includes(id))
    )
      return;
  }
  await prisma.upsellOverride.upsert({
    where: { shop_productId: { shop, productId } },
    create: { shop, productId, ...data },
    update: data,
  });
}

import prisma from "~/db.server";
import type { Basket } from "~/domain/upsell/co-occurrence";
import type { UpsellOverrides } from "~/domain/upsell/overrides";
import type { RecommendationPick } from "~/domain/upsell/recommender";

/**
 * Order baskets for recommendations: every order processed at or before `through` that is not
 * cancelled and not a test, with the products on its lines (guest orders count too: buying
 * habits, not customers).
 */
export async function loadBaskets(shop: string, through: Date): Promise<Basket[]> {
  const orders = await prisma.order.findMany({
    where: { shop, cancelledAt: null, test: false, processedAt: { lte: through } },
    select: { id: true, processedAt: true },
  });
  const baskets = new Map(
    orders.map((order) => [
      order.id,
      { processedAt: order.processedAt, productIds: [] as string[] },
    ]),
  );
  const lines = await prisma.lineItem.findMany({
    where: { shop, productId: { not: null } },
    select: { orderId: true, productId: true },
  });
  for (const line of lines) baskets.get(line.orderId)?.productIds.push(line.productId!);
  return [...baskets.values()];
}

/** Products bought as gift cards (Shopify marks the line): never recommended. */
export async function giftCardProductIds(shop: string): Promise<Set<string>> {
  const rows = await prisma.lineItem.findMany({
    where: { shop, giftCard: true, productId: { not: null } },
    distinct: ["productId"],
    select: { productId: true },
  });
  return new Set(rows.map((row) => row.productId!));
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

/** Replaces the shop's computed recommendations in one transaction. */
export async function replaceRecommendations(shop: string, picks: RecommendationPick[]) {
  await prisma.$transaction([
    prisma.recommendation.deleteMany({ where: { shop } }),
    prisma.recommendation.createMany({
      data: picks.map((pick) => ({
        shop,
        productId: pick.productId,
        recommendedId: pick.recommendedId,
        rank: pick.rank,
        score: pick.score,
        support: pick.support,
        source: pick.source,
      })),
    }),
  ]);
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

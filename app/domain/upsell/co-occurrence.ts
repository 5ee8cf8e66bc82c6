/**
 * Counting what is bought together, shared by the shipped recommender and the baselines it is
 * measured against (evaluation.ts), so every method sees the same baskets and the same catalogue.
 */

export interface Basket {
  processedAt: Date;
  productIds: string[];
}

/**
 * The products recommendations are about. `groups`: the product's type and collections (keys
 * such as `type:Hoodies`), for fills. Only `recommendable` products are counted or recommended:
 * active, not a gift card, not excluded by the merchant, not a detected add-on.
 */
export interface CatalogProduct {
  groups: readonly string[];
  recommendable: boolean;
}
export type Catalog = ReadonlyMap<string, CatalogProduct>;

/** Per product list of recommended product ids, best first. */
export type Lists = Map<string, string[]>;

export interface CoOccurrence {
  /** pairs.get(x).get(y): weight of the orders holding both x and y. */
  pairs: Map<string, Map<string, { weight: number; support: number }>>;
  /** Weight of the orders holding the product. */
  occurrences: Map<string, number>;
  /** Orders holding the product (unweighted), for best sellers. */
  orders: Map<string, number>;
}

/** The distinct recommendable products of a basket. */
export function basketProducts(basket: Basket, catalog: Catalog): string[] {
  return [...new Set(basket.productIds)].filter((id) => catalog.get(id)?.recommendable);
}

export function countCoOccurrence(
  baskets: readonly Basket[],
  catalog: Catalog,
  weightOf: (basket: Basket, size: number) => number = () => 1,
): CoOccurrence {
  const result: CoOccurrence = { pairs: new Map(), occurrences: new Map(), orders: new Map() };
  for (const basket of baskets) {
    const products = basketProducts(basket, catalog);
    if (products.length === 0) continue;
    const weight = weightOf(basket, products.length);
    for (const from of products) {
      result.occurrences.set(from, (result.occurrences.get(from) ?? 0) + weight);
      result.orders.set(from, (result.orders.get(from) ?? 0) + 1);
      let row = result.pairs.get(from);
      if (!row) result.pairs.set(from, (row = new Map()));
      for (const to of products) {
        if (to === from) continue;
        const pair = row.get(to);
        if (pair) {
          pair.weight += weight;
          pair.support += 1;
        } else row.set(to, { weight, support: 1 });
      }
    }
  }
  return result;
}

/** Recommendable products by orders, most first (ties: id), the order every fill falls back on. */
export function bestSellers(counts: CoOccurrence): string[] {
  return [...counts.orders.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id]) => id);
}

/**
 * The top `limit` of `scored` (product → score) for `productId`, best first; ties go to the
 * better seller, then the id, so every method breaks them the same way.
 */
export function topScored(
  productId: string,
  scored: Iterable<[string, number]>,
  sellerRank: ReadonlyMap<string, number>,
  limit: number,
): string[] {
  const rank = (id: string) => sellerRank.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...scored]
    .filter(([id, score]) => id !== productId && score > 0)
    .sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([id]) => id);
}

export function rankOf(ids: readonly string[]): Map<string, number> {
  return new Map(ids.map((id, index) => [id, index]));
}

/**
 * The catalogue from the shop's active products: grouped by type and collections (comma-joined
 * GIDs, as synced), recommendable unless `excluded`.
 */
export function catalogOf(
  products: readonly { id: string; productType: string; collections: string }[],
  excluded: ReadonlySet<string>,
): Catalog {
  return new Map(
    products.map((product) => [
      product.id,
      {
        groups: [
          ...(product.productType ? [`type:${product.productType}`] : []),
          ...product.collections
            .split(",")
            .filter(Boolean)
            .map((id) => `collection:${id}`),
        ],
        recommendable: !excluded.has(product.id),
      },
    ]),
  );
}

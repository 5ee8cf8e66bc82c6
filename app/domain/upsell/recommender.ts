/**
 * The shipped upsell recommender (PRODUCT.md §6), chosen and tuned by the offline evaluation
 * (evaluation.ts) against popularity, plain co-occurrence counts and item-kNN.
 *
 * How likely y is in an order with x is estimated from x's own orders, shrunk towards how often
 * y is bought with products of x's type and collections (`groupPrior` pseudo-orders): a product
 * with few orders borrows from its kind instead of trusting two coincidences.
 *   score(x, y) = (together(x, y) + groupPrior · prior(x, y)) / (orders(x) + groupPrior)
 *   prior(x, y) = (Σ_g together(g, y) + share(y)) / (Σ_g orders(g) + 1), g: x's type and collections
 * Orders weigh 0.5^(age / half-life); an order of n products weighs (largeBasket − 1) / (n − 1)
 * above largeBasket, so bulk orders keep their signal without drowning the rest.
 * A list: products bought with x (support ≥ minSupport), then fills from x's type and collections,
 * then best sellers, each labelled with where it came from.
 */
import {
  countCoOccurrence,
  rankOf,
  topScored,
  type Basket,
  type Catalog,
  type CoOccurrence,
} from "./co-occurrence";

export interface RecommenderOptions {
  now: Date;
  halfLifeDays: number;
  perProduct: number;
  minSupport: number;
  largeBasket: number;
  groupPrior: number;
}

/** The most products a list holds (the upsell block shows 2–8 of them). */
export const MAX_PER_PRODUCT = 8;

/**
 * Tuned by the evaluation on generated stores (5,000 customers, 1,500 products, companions in
 * 30 % of lines; seeds 101–104, not the tests' seeds): a light prior and every pair counted
 * scored best; a 180-day half-life cost 1–2 points of hit@5 there (the generator's buying does
 * not drift), 720 days none.
 */
export const DEFAULT_RECOMMENDER_OPTIONS: Omit<RecommenderOptions, "now"> = {
  halfLifeDays: 720,
  perProduct: MAX_PER_PRODUCT,
  minSupport: 1,
  largeBasket: 30,
  groupPrior: 1,
};

export type PickSource = "bought_together" | "same_group" | "best_seller";

export interface RecommendationPick {
  productId: string;
  recommendedId: string;
  rank: number;
  /** Estimated share of x's orders that hold the pick. */
  score: number;
  /** Orders holding both. */
  support: number;
  source: PickSource;
}

const DAY_MS = 86_400_000;

export function orderWeight(basket: Basket, size: number, options: RecommenderOptions) {
  const ageDays = Math.max(0, (options.now.getTime() - basket.processedAt.getTime()) / DAY_MS);
  const bulk = size > options.largeBasket ? (options.largeBasket - 1) / (size - 1) : 1;
  return 0.5 ** (ageDays / options.halfLifeDays) * bulk;
}

/** Per type/collection: the weight of its products' orders and of each product bought with them. */
function groupCounts(counts: CoOccurrence, catalog: Catalog) {
  const orders = new Map<string, number>();
  const together = new Map<string, Map<string, number>>();
  for (const [productId, occurrence] of counts.occurrences) {
    const row = counts.pairs.get(productId)!;
    for (const group of catalog.get(productId)!.groups) {
      orders.set(group, (orders.get(group) ?? 0) + occurrence);
      let groupRow = together.get(group);
      if (!groupRow) together.set(group, (groupRow = new Map()));
      for (const [other, pair] of row)
        groupRow.set(other, (groupRow.get(other) ?? 0) + pair.weight);
    }
  }
  return { orders, together };
}

export function recommend(
  baskets: readonly Basket[],
  catalog: Catalog,
  options: RecommenderOptions,
): RecommendationPick[] {
  const counts = countCoOccurrence(baskets, catalog, (basket, size) =>
    orderWeight(basket, size, options),
  );
  const totalWeight = [...counts.occurrences.values()].reduce((sum, weight) => sum + weight, 0);
  const share = (id: string) => (counts.occurrences.get(id) ?? 0) / (totalWeight || 1);
  const sellers = [...counts.occurrences.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id]) => id);
  const sellerRank = rankOf(sellers);
  const topSellers = sellers.slice(0, options.perProduct + 1);
  const groups = groupCounts(counts, catalog);
  const members = new Map<string, string[]>();
  for (const id of sellers)
    for (const group of catalog.get(id)!.groups) {
      const list = members.get(group);
      if (list) list.push(id);
      else members.set(group, [id]);
    }

  const picks: RecommendationPick[] = [];
  for (const productId of [...catalog.keys()].sort()) {
    const own =
      counts.pairs.get(productId) ?? new Map<string, { weight: number; support: number }>();
    const ownOrders = counts.occurrences.get(productId) ?? 0;
    const productGroups = catalog.get(productId)!.groups;
    const groupOrders = productGroups.reduce((sum, g) => sum + (groups.orders.get(g) ?? 0), 0);
    const score = (id: string) => {
      const withGroups = productGroups.reduce(
        (sum, g) => sum + (groups.together.get(g)?.get(id) ?? 0),
        0,
      );
      const prior = (withGroups + share(id)) / (groupOrders + 1);
      return (
        ((own.get(id)?.weight ?? 0) + options.groupPrior * prior) / (ownOrders + options.groupPrior)
      );
    };
    const list: { id: string; source: PickSource }[] = [];
    const add = (ids: string[], source: PickSource) => {
      for (const id of ids)
        if (list.length < options.perProduct && !list.some((pick) => pick.id === id))
          list.push({ id, source });
    };
    const bought = [...own].filter(([, pair]) => pair.support >= options.minSupport);
    add(
      topScored(
        productId,
        bought.map(([id]) => [id, score(id)]),
        sellerRank,
        options.perProduct,
      ),
      "bought_together",
    );
    // Fills: the best-selling few of each of the product's groups are enough to choose from.
    const sameGroup = new Set(
      productGroups.flatMap((g) => (members.get(g) ?? []).slice(0, 3 * options.perProduct)),
    );
    add(
      topScored(
        productId,
        [...sameGroup].map((id) => [id, score(id)]),
        sellerRank,
        options.perProduct,
      ),
      "same_group",
    );
    add(
      topSellers.filter((id) => id !== productId),
      "best_seller",
    );
    list.forEach(({ id, source }, index) =>
      picks.push({
        productId,
        recommendedId: id,
        rank: index + 1,
        score: score(id),
        support: own.get(id)?.support ?? 0,
        source,
      }),
    );
  }
  return picks;
}

/** Picks as lists per product, best first (for the evaluation). */
export function picksAsLists(picks: readonly RecommendationPick[]) {
  const lists = new Map<string, string[]>();
  for (const pick of picks) {
    const list = lists.get(pick.productId);
    if (list) list.push(pick.recommendedId);
    else lists.set(pick.productId, [pick.recommendedId]);
  }
  return lists;
}

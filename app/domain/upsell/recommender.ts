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
 * then best sellers, each labelled with where it came from. The products bought with x are picked
 * one at a time, an order an earlier pick is in counting `repeatCredit` of its weight for the
 * next: a shopper buys one of the list, so the list should cover the different things bought
 * with x rather than the two halves of one set (the evaluation's hit: any of the list in the
 * order).
 */
import type { BasketLog } from "./basket-log";
import {
  bestSellers,
  countProducts,
  CoPurchaseRow,
  rankOf,
  topScored,
  type Catalog,
  type Counts,
} from "./co-occurrence";
import { GroupPrior } from "./group-prior";

export interface RecommenderOptions {
  now: Date;
  halfLifeDays: number;
  perProduct: number;
  minSupport: number;
  largeBasket: number;
  groupPrior: number;
  /** What an order an earlier pick is in still counts for the next picks (1: plain scores). */
  repeatCredit: number;
}

/** The most products a list holds (the upsell block shows 2–8 of them). */
export const MAX_PER_PRODUCT = 8;

/**
 * Tuned by the evaluation on generated stores (seeds 101–104, not the tests' seeds; 5,000
 * customers with 1,500 or 300 products, 3,000 with 3,700; companions in 30 % or 10 % of lines):
 * half credit for a repeat beat plain scores (1) by 0.7–1.4 points of hit@5 where companions are
 * in 30 % of lines and was level (−0.2 to +0.3) at 10 %; 0.3–0.6 were within 0.2 of each other.
 * A prior of 12 pseudo-orders was the best single value across the shapes (6 and 25 each lost
 * on some shape, 50 fell behind counting on the denser ones). A 180-day half-life cost 1–2
 * points there (the generator's buying does not drift), 720 days at most 0.2.
 */
export const DEFAULT_RECOMMENDER_OPTIONS: Omit<RecommenderOptions, "now"> = {
  halfLifeDays: 720,
  perProduct: MAX_PER_PRODUCT,
  minSupport: 1,
  largeBasket: 30,
  groupPrior: 12,
  repeatCredit: 0.5,
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

export function orderWeight(time: number, size: number, options: RecommenderOptions) {
  const ageDays = Math.max(0, (options.now.getTime() - time) / DAY_MS);
  const bulk = size > options.largeBasket ? (options.largeBasket - 1) / (size - 1) : 1;
  return 0.5 ** (ageDays / options.halfLifeDays) * bulk;
}

/** Products per chunk of `recommendInChunks`: a few milliseconds of work each. */
export const PRODUCTS_PER_CHUNK = 250;

/**
 * The picks of every catalogue product (by id), a chunk of products at a time, so a caller can
 * let other work run and write between chunks.
 */
export function* recommendInChunks(
  log: BasketLog,
  catalog: Catalog,
  options: RecommenderOptions,
): Generator<RecommendationPick[]> {
  const counts = countProducts(log, catalog, (time, size) => orderWeight(time, size, options));
  const lister = new Lister(counts, catalog, options);
  // A turn for the caller after each group's counting, then after each chunk of lists.
  for (let group = 0; group < lister.groups.size; group++) {
    lister.groups.countGroup(group);
    yield [];
  }
  const products = [...catalog.keys()].sort();
  for (let start = 0; start < products.length; start += PRODUCTS_PER_CHUNK)
    yield products
      .slice(start, start + PRODUCTS_PER_CHUNK)
      .flatMap((id) => lister.picks(log.intern(id)));
}

export function recommend(
  log: BasketLog,
  catalog: Catalog,
  options: RecommenderOptions,
): RecommendationPick[] {
  return [...recommendInChunks(log, catalog, options)].flat();
}

class Lister {
  private readonly row: CoPurchaseRow;
  private readonly sellerRank: Int32Array;
  private readonly topSellers: number[];
  readonly groups: GroupPrior;
  private readonly totalWeight: number;

  constructor(
    private readonly counts: Counts,
    catalog: Catalog,
    private readonly options: RecommenderOptions,
  ) {
    const sellers = bestSellers(counts, counts.occurrences);
    this.sellerRank = rankOf(sellers, counts.orders.length);
    this.topSellers = sellers.slice(0, options.perProduct + 1);
    this.groups = new GroupPrior(counts, catalog, sellers);
    this.row = new CoPurchaseRow(counts);
    this.totalWeight = counts.occurrences.reduce((sum, weight) => sum + weight, 0) || 1;
  }

  picks(product: number): RecommendationPick[] {
    const { counts, row, groups, options, sellerRank } = this;
    const own = row.of(product);
    const groupOrders = groups.orders(product);
    const prior = (other: number) =>
      (groups.together(product, other) + counts.occurrences[other] / this.totalWeight) /
      (groupOrders + 1);
    const score = (other: number) =>
      (row.weight[other] + options.groupPrior * prior(other)) /
      (counts.occurrences[product] + options.groupPrior);
    const list: { id: number; source: PickSource }[] = [];
    const add = (ids: number[], source: PickSource) => {
      for (const id of ids)
        if (list.length < options.perProduct && !list.some((pick) => pick.id === id))
          list.push({ id, source });
    };
    add(this.boughtTogether(product, own, score), "bought_together");
    // Fills: the best-selling few of each of the product's groups are enough to choose from.
    const sameGroup = new Set(
      groups.groupsOf[product].flatMap((group) =>
        groups.members[group].slice(0, 3 * options.perProduct),
      ),
    );
    add(topScored(product, [...sameGroup], score, sellerRank, options.perProduct), "same_group");
    add(
      this.topSellers.filter((id) => id !== product),
      "best_seller",
    );
    return list.map(({ id, source }, index) => ({
      productId: counts.log.ids[product],
      recommendedId: counts.log.ids[id],
      rank: index + 1,
      score: score(id),
      support: row.support[id],
      source,
    }));
  }

  /**
   * Products bought with this one, chosen one at a time: each next pick is the best by score
   * counting the orders the earlier picks already appear in at `repeatCredit` of their weight,
   * so a list covers the different things bought with the product instead of repeating what
   * always comes together (the evaluation's hit: any of the list in the order).
   */
  private boughtTogether(product: number, own: number[], score: (other: number) => number) {
    const { counts, row, options, sellerRank } = this;
    const candidates = own.filter((other) => row.support[other] >= options.minSupport);
    const scale = counts.occurrences[product] + options.groupPrior;
    const gain = new Map(candidates.map((other) => [other, score(other) * scale]));
    const baskets = counts.log.basketsOf(product);
    const credit = Float64Array.from(baskets, (basket) => counts.weights[basket]);
    const picked: number[] = [];
    while (picked.length < options.perProduct && gain.size > 0) {
      let best = -1;
      let bestGain = 0;
      for (const [other, value] of gain)
        if (
          value > bestGain ||
          (value === bestGain && best >= 0 && sellerRank[other] < sellerRank[best])
        )
          [best, bestGain] = [other, value];
      if (best < 0) break;
      picked.push(best);
      gain.delete(best);
      baskets.forEach((basket, index) => {
        const products = counts.log.basket(basket);
        if (!products.includes(best)) return;
        const lost = credit[index] * (1 - options.repeatCredit);
        credit[index] -= lost;
        for (const other of products) {
          const current = gain.get(other);
          if (current !== undefined) gain.set(other, current - lost);
        }
      });
    }
    return picked;
  }
}

/**
 * Counting what is bought together, shared by the shipped recommender and the baselines it is
 * measured against (evaluation.ts), so every method sees the same baskets and the same catalogue.
 * Nothing holds a pair: a product's row of co-purchases is summed when it is needed, from the
 * baskets that hold it (BasketLog's inverted index), into one reused typed array. Memory stays
 * linear in the order lines, whatever the number of pairs.
 */
import type { BasketLog } from "./basket-log";

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

/** Per order weight from its time (ms) and its number of recommendable products. */
export type OrderWeight = (time: number, size: number) => number;

/**
 * The training orders as every method counts them: only recommendable products, each order
 * weighted, per product the orders holding it.
 */
export interface Counts {
  log: BasketLog;
  /** By product index: in the catalogue and recommendable. */
  recommendable: Uint8Array;
  /** By basket: its weight (0: no recommendable product). */
  weights: Float64Array;
  /** By product: weight of the orders holding it. */
  occurrences: Float64Array;
  /** By product: orders holding it (unweighted), for best sellers. */
  orders: Float64Array;
}

/** Every catalogue product gets an index in the log (those never sold too). */
export function countProducts(
  log: BasketLog,
  catalog: Catalog,
  weightOf: OrderWeight = () => 1,
): Counts {
  for (const id of catalog.keys()) log.intern(id);
  const products = log.ids.length;
  const recommendable = new Uint8Array(products);
  log.ids.forEach((id, index) => {
    if (catalog.get(id)?.recommendable) recommendable[index] = 1;
  });
  const weights = new Float64Array(log.size);
  const occurrences = new Float64Array(products);
  const orders = new Float64Array(products);
  for (let b = 0; b < log.size; b++) {
    const basket = log.basket(b);
    let size = 0;
    for (const product of basket) size += recommendable[product];
    if (size === 0) continue;
    const weight = (weights[b] = weightOf(log.time(b), size));
    for (const product of basket)
      if (recommendable[product]) {
        occurrences[product] += weight;
        orders[product] += 1;
      }
  }
  return { log, recommendable, weights, occurrences, orders };
}

/**
 * One product's row of co-purchases at a time: weight and support (orders) of each recommendable
 * product bought with it. The arrays are reused from row to row; `products` lists the row.
 */
export class CoPurchaseRow {
  readonly weight: Float64Array;
  readonly support: Float64Array;
  products: number[] = [];

  constructor(private readonly counts: Counts) {
    this.weight = new Float64Array(counts.recommendable.length);
    this.support = new Float64Array(counts.recommendable.length);
  }

  of(product: number): number[] {
    for (const other of this.products) this.weight[other] = this.support[other] = 0;
    this.products = [];
    const { log, recommendable, weights } = this.counts;
    if (!recommendable[product]) return this.products;
    for (const basket of log.basketsOf(product)) {
      const weight = weights[basket];
      for (const other of log.basket(basket)) {
        if (other === product || !recommendable[other]) continue;
        if (this.support[other] === 0) this.products.push(other);
        this.weight[other] += weight;
        this.support[other] += 1;
      }
    }
    return this.products;
  }
}

/** Recommendable products by orders, most first (ties: id), the order every fill falls back on. */
export function bestSellers(counts: Counts, by: Float64Array = counts.orders): number[] {
  const ids = counts.log.ids;
  const sold: number[] = [];
  for (let product = 0; product < by.length; product++) if (by[product] > 0) sold.push(product);
  return sold.sort((a, b) => by[b] - by[a] || ids[a].localeCompare(ids[b]));
}

/** Rank of each product in `sellers` (unlisted: last). */
export function rankOf(sellers: readonly number[], products: number): Int32Array {
  const rank = new Int32Array(products).fill(products);
  sellers.forEach((product, index) => (rank[product] = index));
  return rank;
}

/**
 * The top `limit` of `candidates` by `score` for `product`, best first; ties go to the better
 * seller, then the id, so every method breaks them the same way.
 */
export function topScored(
  product: number,
  candidates: readonly number[],
  score: (candidate: number) => number,
  sellerRank: Int32Array,
  limit: number,
): number[] {
  return candidates
    .filter((candidate) => candidate !== product)
    .map((candidate) => ({ candidate, score: score(candidate) }))
    .filter((entry) => entry.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        sellerRank[a.candidate] - sellerRank[b.candidate] ||
        a.candidate - b.candidate,
    )
    .slice(0, limit)
    .map((entry) => entry.candidate);
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

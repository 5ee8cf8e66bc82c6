/**
 * The simple recommenders the shipped one has to beat (evaluation.ts). Each gets every order,
 * unweighted, and the same catalogue (only recommendable products counted and recommended).
 */
import { bestSellers, CoPurchaseRow, rankOf, topScored, type Counts } from "./co-occurrence";

/** Every product gets the store's best sellers. */
export function popularityLists(counts: Counts, limit: number) {
  const sellers = bestSellers(counts).slice(0, limit + 1);
  const lists = new Map<number, number[]>();
  counts.recommendable.forEach((recommendable, product) => {
    if (recommendable)
      lists.set(product, sellers.filter((other) => other !== product).slice(0, limit));
  });
  return lists;
}

/**
 * Lists from each product's row of co-purchases, scored by `score(product, other, row)`; products
 * never bought with anything get none.
 */
function rowLists(
  counts: Counts,
  limit: number,
  score: (product: number, other: number, row: CoPurchaseRow) => number,
) {
  const sellerRank = rankOf(bestSellers(counts), counts.orders.length);
  const row = new CoPurchaseRow(counts);
  const lists = new Map<number, number[]>();
  for (let product = 0; product < counts.orders.length; product++) {
    const others = row.of(product);
    if (others.length)
      lists.set(
        product,
        topScored(product, others, (other) => score(product, other, row), sellerRank, limit),
      );
  }
  return lists;
}

/** The products most often in the same order: plain counts. */
export function coOccurrenceCountLists(counts: Counts, limit: number) {
  return rowLists(counts, limit, (_, other, row) => row.support[other]);
}

/**
 * Item-kNN with cosine similarity: together / sqrt(orders of x × orders of y), which discounts
 * best sellers that are in many orders with everything.
 */
export function itemKnnLists(counts: Counts, limit: number) {
  return rowLists(
    counts,
    limit,
    (product, other, row) =>
      row.support[other] / Math.sqrt(counts.orders[product] * counts.orders[other]),
  );
}

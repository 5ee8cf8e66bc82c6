/**
 * The simple recommenders the shipped one has to beat (evaluation.ts). Each gets every order,
 * unweighted, and the same catalogue (only recommendable products counted and recommended).
 */
import {
  bestSellers,
  countCoOccurrence,
  rankOf,
  topScored,
  type Basket,
  type Catalog,
  type Lists,
} from "./co-occurrence";

/** Every product gets the store's best sellers. */
export function popularityLists(baskets: readonly Basket[], catalog: Catalog, limit: number) {
  const sellers = bestSellers(countCoOccurrence(baskets, catalog));
  const lists: Lists = new Map();
  for (const productId of catalog.keys())
    lists.set(productId, sellers.filter((id) => id !== productId).slice(0, limit));
  return lists;
}

/** The products most often in the same order: plain counts. */
export function coOccurrenceCountLists(
  baskets: readonly Basket[],
  catalog: Catalog,
  limit: number,
) {
  const counts = countCoOccurrence(baskets, catalog);
  const sellerRank = rankOf(bestSellers(counts));
  const lists: Lists = new Map();
  for (const [productId, row] of counts.pairs) {
    const scored = [...row].map(([id, pair]): [string, number] => [id, pair.support]);
    lists.set(productId, topScored(productId, scored, sellerRank, limit));
  }
  return lists;
}

/**
 * Item-kNN with cosine similarity: together / sqrt(orders of x × orders of y), which discounts
 * best sellers that are in many orders with everything.
 */
export function itemKnnLists(baskets: readonly Basket[], catalog: Catalog, limit: number) {
  const counts = countCoOccurrence(baskets, catalog);
  const sellerRank = rankOf(bestSellers(counts));
  const lists: Lists = new Map();
  for (const [productId, row] of counts.pairs) {
    const own = counts.orders.get(productId)!;
    const scored = [...row].map(([id, pair]): [string, number] => [
      id,
      pair.support / Math.sqrt(own * counts.orders.get(id)!),
    ]);
    lists.set(productId, topScored(productId, scored, sellerRank, limit));
  }
  return lists;
}

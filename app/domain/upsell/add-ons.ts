/**
 * Add-ons: products that ride along with everything (shipping protection, gift wrap, tips,
 * "POSTAGE"). Recommending them says nothing about the product on the page, so they are left out
 * of every list, and shown to the merchant to confirm. Detected from the orders alone: in a large
 * share of all orders, and almost never bought on their own (a best seller is bought alone too).
 */
import type { Basket } from "./co-occurrence";

export interface AddOnOptions {
  /** In at least this share of all orders. */
  minOrderShare: number;
  /** Alone in at most this share of its orders. */
  maxAloneShare: number;
  /** Fewer orders than this say nothing. */
  minOrders: number;
}

export const DEFAULT_ADD_ON_OPTIONS: AddOnOptions = {
  minOrderShare: 0.1,
  maxAloneShare: 0.05,
  minOrders: 50,
};

export interface DetectedAddOn {
  productId: string;
  orders: number;
  orderShare: number;
  aloneShare: number;
}

export function detectAddOns(
  baskets: readonly Basket[],
  options: AddOnOptions = DEFAULT_ADD_ON_OPTIONS,
): DetectedAddOn[] {
  const orders = new Map<string, number>();
  const alone = new Map<string, number>();
  let total = 0;
  for (const basket of baskets) {
    const products = [...new Set(basket.productIds)];
    if (products.length === 0) continue;
    total += 1;
    for (const id of products) orders.set(id, (orders.get(id) ?? 0) + 1);
    if (products.length === 1) alone.set(products[0], (alone.get(products[0]) ?? 0) + 1);
  }
  if (total < options.minOrders) return [];
  return [...orders.entries()]
    .map(([productId, count]) => ({
      productId,
      orders: count,
      orderShare: count / total,
      aloneShare: (alone.get(productId) ?? 0) / count,
    }))
    .filter(
      (product) =>
        product.orderShare >= options.minOrderShare && product.aloneShare <= options.maxAloneShare,
    )
    .sort((a, b) => b.orders - a.orders || a.productId.localeCompare(b.productId));
}

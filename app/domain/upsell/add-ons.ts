/**
 * Add-ons: products that ride along with everything (shipping protection, gift wrap, tips,
 * "POSTAGE"). Recommending them says nothing about the product on the page, so they are left out
 * of every list, and shown to the merchant to confirm. Detected from the orders alone: in a large
 * share of all orders, and almost never bought on their own (a best seller is bought alone too).
 */
import type { BasketLog } from "./basket-log";

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
  log: BasketLog,
  options: AddOnOptions = DEFAULT_ADD_ON_OPTIONS,
): DetectedAddOn[] {
  const orders = new Float64Array(log.ids.length);
  const alone = new Float64Array(log.ids.length);
  let total = 0;
  for (let b = 0; b < log.size; b++) {
    const products = log.basket(b);
    if (products.length === 0) continue;
    total += 1;
    for (const product of products) orders[product] += 1;
    if (products.length === 1) alone[products[0]] += 1;
  }
  if (total < options.minOrders) return [];
  return log.ids
    .map((productId, product) => ({
      productId,
      orders: orders[product],
      orderShare: orders[product] / total,
      aloneShare: orders[product] ? alone[product] / orders[product] : 0,
    }))
    .filter(
      (product) =>
        product.orders > 0 &&
        product.orderShare >= options.minOrderShare &&
        product.aloneShare <= options.maxAloneShare,
    )
    .sort((a, b) => b.orders - a.orders || a.productId.localeCompare(b.productId));
}

/**
 * What no upsell list (nor the buy-again block) may show: gift cards, products the merchant
 * excluded, and the `detected` add-ons the merchant did not keep, which are returned too for the
 * merchant to confirm.
 */
export function upsellExclusions(
  detected: readonly DetectedAddOn[],
  choices: ReadonlyMap<string, string>,
  giftCards: Iterable<string>,
) {
  const addOns = detected.filter((addOn) => choices.get(addOn.productId) !== "keep");
  const excluded = new Set([
    ...giftCards,
    ...addOns.map((addOn) => addOn.productId),
    ...[...choices].filter(([, choice]) => choice === "exclude").map(([id]) => id),
  ]);
  return { addOns, excluded };
}

/**
 * How often customers buy a product again: the typical (median) number of days between one
 * customer's consecutive purchases of the same product, pooled over all its customers. The
 * buy-again block compares it with the days since the shopper last bought the product.
 * Published only with enough evidence: a product bought again by one customer once is chance,
 * not a habit, and a product most buyers never rebuy (a jacket) is not replenishable.
 */

const DAY_MS = 86_400_000;

export interface CustomerOrder {
  /** null: a guest's order, which says nothing about anyone's habit. */
  customerId: string | null;
  processedAt: Date;
  productIds: readonly string[];
}

export interface RepurchaseOptions {
  /** Repurchases (gaps between two purchases by one customer) needed at least. */
  minRepurchases: number;
  /** Customers who bought it again needed at least. */
  minCustomers: number;
  /** Share of the product's customers who bought it again, at least. */
  minRepeatShare: number;
  /** Purchases closer than this are one purchase split over two orders, not a repurchase. */
  minGapDays: number;
}

export const DEFAULT_REPURCHASE_OPTIONS: RepurchaseOptions = {
  minRepurchases: 3,
  minCustomers: 2,
  minRepeatShare: 0.1,
  minGapDays: 1,
};

export interface RepurchaseInterval {
  productId: string;
  /** Median days between repurchases, rounded, at least 1. */
  days: number;
  repurchases: number;
  /** Customers who bought it again / customers who bought it. */
  repeatCustomers: number;
  customers: number;
}

/**
 * Intervals of the replenishable products, by product id. `orders`: the shop's counted orders
 * (not cancelled, not tests); guests' orders and those after `asOf` are left out, and `excluded`
 * products (gift cards, detected add-ons, the merchant's exclusions) never count.
 */
export function repurchaseIntervals(
  orders: readonly CustomerOrder[],
  asOf: Date,
  excluded: ReadonlySet<string>,
  options: RepurchaseOptions = DEFAULT_REPURCHASE_OPTIONS,
): RepurchaseInterval[] {
  // product → customer → purchase times
  const purchases = new Map<string, Map<string, number[]>>();
  for (const order of orders) {
    const at = order.processedAt.getTime();
    if (order.customerId === null || at > asOf.getTime()) continue;
    for (const productId of new Set(order.productIds)) {
      if (excluded.has(productId)) continue;
      let byCustomer = purchases.get(productId);
      if (!byCustomer) purchases.set(productId, (byCustomer = new Map()));
      const times = byCustomer.get(order.customerId);
      if (times) times.push(at);
      else byCustomer.set(order.customerId, [at]);
    }
  }
  const intervals: RepurchaseInterval[] = [];
  for (const [productId, byCustomer] of purchases) {
    const gaps: number[] = [];
    let repeatCustomers = 0;
    for (const times of byCustomer.values()) {
      const own = repurchaseGaps(times, options.minGapDays);
      if (own.length) repeatCustomers += 1;
      gaps.push(...own);
    }
    if (
      gaps.length < options.minRepurchases ||
      repeatCustomers < options.minCustomers ||
      repeatCustomers / byCustomer.size < options.minRepeatShare
    )
      continue;
    intervals.push({
      productId,
      days: Math.max(1, Math.round(median(gaps))),
      repurchases: gaps.length,
      repeatCustomers,
      customers: byCustomer.size,
    });
  }
  return intervals.sort((a, b) => a.productId.localeCompare(b.productId));
}

/** Days between consecutive purchases, purchases closer than `minGapDays` merged into one. */
function repurchaseGaps(times: readonly number[], minGapDays: number): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const gaps: number[] = [];
  let last = sorted[0];
  for (const time of sorted.slice(1)) {
    const days = (time - last) / DAY_MS;
    if (days < minGapDays) continue;
    gaps.push(days);
    last = time;
  }
  return gaps;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

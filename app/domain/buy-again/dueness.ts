/**
 * Which of a shopper's past products are due again, most due first: the rule the buy-again block
 * (extensions/persegment-storefront/blocks/buy-again.liquid) applies in Liquid, written here to
 * define and test it. Same integer arithmetic as the Liquid: whole seconds, whole days, and
 * dueness in permille (days since last bought × 1000 ÷ interval, rounded down).
 */

export interface PastOrder {
  createdAt: Date;
  cancelled: boolean;
  /** Liquid's order.financial_status: refunded and voided orders were not really bought. */
  financialStatus: string;
  lines: readonly { productId: string; giftCard: boolean }[];
}

export interface DueOptions {
  /** Shown from this share of the interval on (percent). */
  duePercent: number;
  limit: number;
}

/** The block's default settings (its schema's `due_percent` and `limit`). */
export const DEFAULT_DUE_OPTIONS: DueOptions = { duePercent: 90, limit: 4 };

export interface DueProduct {
  productId: string;
  lastBoughtAt: Date;
  daysSince: number;
  intervalDays: number;
  duePermille: number;
}

const NOT_BOUGHT = new Set(["refunded", "voided"]);

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const numericId = (gid: string) => Number(gid.split("/").pop());

/**
 * `intervals`: the repurchase days published per product; `available`: whether the product can
 * be bought now. Ties go to the product bought more recently, then the higher product id.
 */
export function dueProducts(
  orders: readonly PastOrder[],
  intervals: ReadonlyMap<string, number>,
  available: (productId: string) => boolean,
  now: Date,
  { duePercent, limit }: DueOptions,
): DueProduct[] {
  const lastBought = new Map<string, number>();
  for (const order of orders) {
    if (order.cancelled || NOT_BOUGHT.has(order.financialStatus)) continue;
    for (const line of order.lines) {
      if (line.giftCard || !intervals.has(line.productId) || !available(line.productId)) continue;
      lastBought.set(
        line.productId,
        Math.max(lastBought.get(line.productId) ?? 0, seconds(order.createdAt)),
      );
    }
  }
  return [...lastBought.entries()]
    .map(([productId, boughtAt]) => {
      const intervalDays = intervals.get(productId)!;
      const daysSince = Math.floor((seconds(now) - boughtAt) / 86_400);
      return {
        productId,
        lastBoughtAt: new Date(boughtAt * 1000),
        daysSince,
        intervalDays,
        duePermille: Math.floor((daysSince * 1000) / intervalDays),
      };
    })
    .filter((product) => product.duePermille >= duePercent * 10)
    .sort(
      (a, b) =>
        b.duePermille - a.duePermille ||
        b.lastBoughtAt.getTime() - a.lastBoughtAt.getTime() ||
        numericId(b.productId) - numericId(a.productId),
    )
    .slice(0, limit);
}

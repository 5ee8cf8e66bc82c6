/**
 * Counted orders, the three RFM inputs and tie-consistent 1–5 scores (PRODUCT.md §1–3).
 * Pure functions of plain data and an explicit as-of instant.
 */

export const DAY_MS = 86_400_000;

export interface OrderFacts {
  customerId: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  /** currentTotalPriceSet.shopMoney in minor units. */
  totalCents: bigint;
  /** True when the order carries at least one discount code. */
  usedDiscountCode: boolean;
}

/** §1: an order counts when it has a customer, is not cancelled, not a test, and is not in the future. */
export function isCountedOrder(
  order: Pick<OrderFacts, "customerId" | "cancelledAt" | "test" | "processedAt">,
  asOf: Date,
): boolean {
  return (
    order.customerId !== null &&
    order.cancelledAt === null &&
    !order.test &&
    order.processedAt.getTime() <= asOf.getTime()
  );
}

/** A customer's aggregates over counted orders only. */
export interface OrderAggregate {
  orders: number;
  spentCents: bigint;
  discountOrders: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

export const NO_ORDERS: OrderAggregate = Object.freeze({
  orders: 0,
  spentCents: 0n,
  discountOrders: 0,
  firstOrderAt: null,
  lastOrderAt: null,
});

/** Aggregates counted orders per customer id; customers without a counted order are absent. */
export function aggregateOrders(orders: Iterable<OrderFacts>, asOf: Date) {
  const byCustomer = new Map<string, OrderAggregate>();
  for (const order of orders) {
    if (!isCountedOrder(order, asOf)) continue;
    const id = order.customerId as string;
    const current = byCustomer.get(id) ?? { ...NO_ORDERS };
    const at = order.processedAt;
    byCustomer.set(id, {
      orders: current.orders + 1,
      spentCents: current.spentCents + order.totalCents,
      discountOrders: current.discountOrders + (order.usedDiscountCode ? 1 : 0),
      firstOrderAt: current.firstOrderAt && current.firstOrderAt <= at ? current.firstOrderAt : at,
      lastOrderAt: current.lastOrderAt && current.lastOrderAt >= at ? current.lastOrderAt : at,
    });
  }
  return byCustomer;
}

/** §1 R_raw: whole days (floor of elapsed UTC time) from the latest counted order to as-of. */
export function recencyDays(lastOrderAt: Date, asOf: Date): number {
  return Math.floor((asOf.getTime() - lastOrderAt.getTime()) / DAY_MS);
}

/**
 * An ascending multiset of numbers: "how many are strictly below x" is a binary search, and an
 * insert or removal shifts the tail in place. Numbers, not bigints: comparing bigints is a call
 * into the runtime, and sorting a shop's spends that way took hundreds of milliseconds.
 */
class SortedNumbers {
  private values: Float64Array;
  private length: number;

  constructor(values: number[]) {
    // A typed array sorts numerically, natively.
    this.values = Float64Array.from(values).sort();
    this.length = values.length;
  }

  get size() {
    return this.length;
  }

  countBelow(value: number): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.values[mid] < value) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  insert(value: number) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(Math.max(16, this.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    const index = this.countBelow(value);
    this.values.copyWithin(index + 1, index, this.length);
    this.values[index] = value;
    this.length++;
  }

  remove(value: number) {
    const index = this.countBelow(value);
    if (index === this.length || this.values[index] !== value) return;
    this.values.copyWithin(index, index + 1, this.length);
    this.length--;
  }

  /**
   * Removes `removed` (values absent are ignored, as by `remove`) and inserts `added`, in one
   * merge pass: hundreds of changes at once cost one copy, not a shift of the tail each.
   */
  replace(removed: number[], added: number[]) {
    const joining = Float64Array.from(added).sort();
    const leaving = Float64Array.from(removed).sort();
    const merged = new Float64Array(Math.max(16, this.length + joining.length));
    let size = 0;
    let nextAdded = 0;
    let nextRemoved = 0;
    for (let index = 0; index < this.length; index++) {
      const value = this.values[index];
      while (nextRemoved < leaving.length && leaving[nextRemoved] < value) nextRemoved++;
      if (nextRemoved < leaving.length && leaving[nextRemoved] === value) {
        nextRemoved++;
        continue;
      }
      while (nextAdded < joining.length && joining[nextAdded] <= value)
        merged[size++] = joining[nextAdded++];
      merged[size++] = value;
    }
    while (nextAdded < joining.length) merged[size++] = joining[nextAdded++];
    this.values = merged;
    this.length = size;
  }
}

/** An instant in whole seconds: Shopify's order times have no finer resolution. */
const toSecond = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * Spend as a number for ranking: exact up to 2^53 minor units (about 90 trillion dollars), far
 * beyond any customer's lifetime spend, so equal spends stay equal and unequal ones ordered.
 */
const rankableSpend = (spentCents: bigint) => Number(spentCents);

export interface RfmScores {
  r: number;
  f: number;
  m: number;
  recencyDays: number;
  /** |{d in P : M_raw(d) < M_raw(c)}| / n, which the VIP segment compares with its percentile. */
  spendBelowShare: number;
}

export interface BuyerInputs {
  orders: number;
  spentCents: bigint;
  lastOrderAt: Date;
}

/**
 * The population P of customers with at least one counted order, kept as sorted inputs so that
 * "how many customers are strictly below me" is a binary search. Equal inputs therefore always
 * get equal scores (§2), and one customer's scores can be computed against the population
 * without re-ranking everybody (incremental recompute).
 */
export class RfmPopulation {
  private readonly frequencies: SortedNumbers;
  private readonly spends: SortedNumbers;
  private readonly lastOrderTimes: SortedNumbers;

  constructor(buyers: Iterable<BuyerInputs> = []) {
    const frequencies: number[] = [];
    const spends: number[] = [];
    const lastOrderTimes: number[] = [];
    for (const buyer of buyers) {
      frequencies.push(buyer.orders);
      spends.push(rankableSpend(buyer.spentCents));
      lastOrderTimes.push(toSecond(buyer.lastOrderAt));
    }
    this.frequencies = new SortedNumbers(frequencies);
    this.spends = new SortedNumbers(spends);
    this.lastOrderTimes = new SortedNumbers(lastOrderTimes);
  }

  get size() {
    return this.frequencies.size;
  }

  add(buyer: BuyerInputs) {
    this.frequencies.insert(buyer.orders);
    this.spends.insert(rankableSpend(buyer.spentCents));
    this.lastOrderTimes.insert(toSecond(buyer.lastOrderAt));
  }

  remove(buyer: BuyerInputs) {
    this.frequencies.remove(buyer.orders);
    this.spends.remove(rankableSpend(buyer.spentCents));
    this.lastOrderTimes.remove(toSecond(buyer.lastOrderAt));
  }

  /** `remove` for each of `removed` and `add` for each of `added`, in one pass over the buyers. */
  replace(removed: readonly BuyerInputs[], added: readonly BuyerInputs[]) {
    this.frequencies.replace(
      removed.map((buyer) => buyer.orders),
      added.map((buyer) => buyer.orders),
    );
    this.spends.replace(
      removed.map((buyer) => rankableSpend(buyer.spentCents)),
      added.map((buyer) => rankableSpend(buyer.spentCents)),
    );
    this.lastOrderTimes.replace(
      removed.map((buyer) => toSecond(buyer.lastOrderAt)),
      added.map((buyer) => toSecond(buyer.lastOrderAt)),
    );
  }

  /** §2 scores of a buyer who is part of this population, evaluated at as-of. */
  scoresFor(buyer: BuyerInputs, asOf: Date): RfmScores {
    const n = this.size;
    if (n === 0) throw new Error("scoresFor: the buyer must be part of the population");
    // R ranks on the exact time since the last order, to the second (§2): more time elapsed
    // means an earlier last order. Ranking whole days tied everyone who ordered today, and when
    // they were over a fifth of the buyers (a launch, a flash sale) nobody reached R = 5.
    const orderedEarlier = this.lastOrderTimes.countBelow(toSecond(buyer.lastOrderAt));
    const fewerOrders = this.frequencies.countBelow(buyer.orders);
    const lessSpent = this.spends.countBelow(rankableSpend(buyer.spentCents));
    return {
      r: 1 + Math.floor((5 * orderedEarlier) / n),
      f: 1 + Math.floor((5 * fewerOrders) / n),
      m: 1 + Math.floor((5 * lessSpent) / n),
      recencyDays: recencyDays(buyer.lastOrderAt, asOf),
      spendBelowShare: lessSpent / n,
    };
  }
}

export const RFM_GROUPS = [
  { handle: "champions", name: "Champions" },
  { handle: "loyal", name: "Loyal" },
  { handle: "active", name: "Active" },
  { handle: "new", name: "New" },
  { handle: "promising", name: "Promising" },
  { handle: "needs-attention", name: "Needs attention" },
  { handle: "previously-loyal", name: "Previously loyal" },
  { handle: "at-risk", name: "At risk" },
  { handle: "almost-lost", name: "Almost lost" },
  { handle: "dormant", name: "Dormant" },
  { handle: "prospects", name: "Prospects" },
] as const;

export type RfmGroup = (typeof RFM_GROUPS)[number]["handle"];

export const RFM_GROUP_HANDLES: readonly RfmGroup[] = RFM_GROUPS.map((group) => group.handle);

/** §3 table. FM = (F + M) / 2 is compared as F + M to stay in integers. */
export function rfmGroupFor(scores: { r: number; f: number; m: number } | null): RfmGroup {
  if (!scores) return "prospects";
  const fm2 = scores.f + scores.m;
  const band = fm2 >= 8 ? "high" : fm2 <= 4 ? "low" : "mid";
  switch (scores.r) {
    case 5:
      return band === "high" ? "champions" : band === "mid" ? "active" : "new";
    case 4:
      return band === "high" ? "loyal" : band === "mid" ? "active" : "promising";
    case 3:
      return band === "high" ? "loyal" : "needs-attention";
    case 2:
      return band === "high" ? "previously-loyal" : band === "mid" ? "at-risk" : "almost-lost";
    default:
      return band === "high" ? "previously-loyal" : band === "mid" ? "at-risk" : "dormant";
  }
}

/** Shopify's CustomerRfmGroup enum value (e.g. NEEDS_ATTENTION) as our handle. */
export function rfmGroupFromShopify(value: string | null | undefined): RfmGroup | null {
  if (!value) return null;
  const handle = value.toLowerCase().replace(/_/g, "-");
  return (RFM_GROUP_HANDLES as readonly string[]).includes(handle) ? (handle as RfmGroup) : null;
}

export function rfmGroupName(handle: string): string {
  return RFM_GROUPS.find((group) => group.handle === handle)?.name ?? handle;
}

/**
 * The shop as the performance replay (PRODUCT.md §10) sees it at its current instant: who is a
 * customer already and each one's counted orders so far. Customers are numbered once, so a
 * boundary's memberships are a typed array indexed by customer, filled slice by slice.
 */
import type { ShopSettings } from "../settings";
import { handleMask } from "./member-masks";
import { NO_ORDERS, RfmPopulation, type OrderAggregate } from "./rfm";
import { scoreCustomer } from "./scoring";

/** A counted order (§1): customer known, not cancelled, not a test. */
export interface ReplayOrder {
  customerId: string;
  at: number;
  totalCents: bigint;
  usedDiscountCode: boolean;
}

export class ReplayShop {
  private readonly indexOf = new Map<string, number>();
  /** By index; undefined while not a customer yet. */
  private readonly aggregates: (OrderAggregate | undefined)[] = [];
  /** The buyers ranked as of the last scoring. */
  private population: RfmPopulation | undefined;
  /** Customers with orders since the last scoring, and their aggregate before those. */
  private readonly changedSince = new Map<number, OrderAggregate>();

  /** How many customers the replay has met so far: the length of a snapshot now. */
  get size() {
    return this.aggregates.length;
  }

  /** The customer's number, given on first mention. */
  private indexFor(id: string) {
    let index = this.indexOf.get(id);
    if (index === undefined) {
      index = this.aggregates.length;
      this.indexOf.set(id, index);
      this.aggregates.push(undefined);
    }
    return index;
  }

  /** The customer exists from now on, without an order unless one came first. */
  addCustomer(id: string) {
    const index = this.indexFor(id);
    this.aggregates[index] ??= NO_ORDERS;
  }

  /** Counts the order (the next in time) for its customer, who exists from now on; their index. */
  addOrder(order: ReplayOrder) {
    const index = this.indexFor(order.customerId);
    const before = this.aggregates[index] ?? NO_ORDERS;
    if (!this.changedSince.has(index)) this.changedSince.set(index, before);
    this.aggregates[index] = withOrder(before, order);
    return index;
  }

  /**
   * Scores the customers numbered `from` to `to` (exclusive) as of `asOf`, against every buyer,
   * and writes their built-in handle masks into `masks` (0: not a customer yet).
   */
  scoreInto(masks: Uint32Array, from: number, to: number, settings: ShopSettings, asOf: Date) {
    const population = this.rankedBuyers();
    // Everyone without an order shares this aggregate, and so their memberships.
    const withoutOrders = handleMask(scoreCustomer(NO_ORDERS, population, settings, asOf));
    for (let index = from; index < to; index++) {
      const aggregate = this.aggregates[index];
      if (aggregate === undefined) masks[index] = 0;
      else if (aggregate === NO_ORDERS) masks[index] = withoutOrders;
      else masks[index] = handleMask(scoreCustomer(aggregate, population, settings, asOf));
    }
  }

  /** The population of buyers now: built once, then only the changed buyers moved. */
  private rankedBuyers() {
    if (!this.population) {
      this.population = new RfmPopulation(buyers(this.aggregates));
    } else if (this.changedSince.size > 0) {
      this.population.replace(
        [...buyers(this.changedSince.values())],
        [...buyers([...this.changedSince.keys()].map((index) => this.aggregates[index]))],
      );
    }
    this.changedSince.clear();
    return this.population;
  }
}

function* buyers(aggregates: Iterable<OrderAggregate | undefined>) {
  for (const aggregate of aggregates)
    if (aggregate && aggregate.orders > 0 && aggregate.lastOrderAt)
      yield {
        orders: aggregate.orders,
        spentCents: aggregate.spentCents,
        lastOrderAt: aggregate.lastOrderAt,
      };
}

function withOrder(before: OrderAggregate, order: ReplayOrder): OrderAggregate {
  const at = new Date(order.at);
  return {
    orders: before.orders + 1,
    spentCents: before.spentCents + order.totalCents,
    discountOrders: before.discountOrders + (order.usedDiscountCode ? 1 : 0),
    // Orders arrive in time order: the first one stays first, the latest is this one.
    firstOrderAt: before.firstOrderAt ?? at,
    lastOrderAt: at,
  };
}

/** Two lists sorted by a time as one, in one pass (the replay's inputs are read in batches). */
export function mergeSorted<T>(
  first: readonly T[],
  second: readonly T[],
  timeOf: (item: T) => number,
) {
  const merged = new Array<T>(first.length + second.length);
  let a = 0;
  let b = 0;
  for (let index = 0; index < merged.length; index++)
    merged[index] =
      b === second.length || (a < first.length && timeOf(first[a]) <= timeOf(second[b]))
        ? first[a++]
        : second[b++];
  return merged;
}

/**
 * Segment performance per period (PRODUCT.md §10): the built-in segments' members re-evaluated
 * as of each period boundary from counted orders, and each period's figures for the members at
 * its start. Pure: orders and customers come in as plain data, sorted.
 */
import type { ShopSettings } from "../settings";
import { builtInSegmentIdsOf } from "./memberships";
import type { Grain, Period } from "./periods";
import { NO_ORDERS, type OrderAggregate } from "./rfm";
import { scoreShop } from "./scoring";

export interface ReplayCustomer {
  id: string;
  createdAt: number;
}

/** A counted order (§1): customer known, not cancelled, not a test. */
export interface ReplayOrder {
  customerId: string;
  at: number;
  totalCents: bigint;
  usedDiscountCode: boolean;
}

export interface PeriodStat {
  segmentId: string;
  grain: Grain;
  start: string;
  /** Members at the period's end. */
  members: number;
  /** Members at the period's start: whose orders the period's figures count. */
  cohort: number;
  /** Cohort members with a counted order in the period. */
  buyers: number;
  /** Buyers with two or more counted orders in the period: who came back within it. */
  repeatBuyers: number;
  orders: number;
  revenueCents: bigint;
  /** Members at the end who were not at the start, and the other way round. */
  entered: number;
  left: number;
}

type Snapshot = Map<string, Set<string>>;
type PeriodOrders = Map<string, { orders: number; revenueCents: bigint }>;

/**
 * Replays the shop's counted orders and computes each period's figures for every built-in
 * segment in `segments` (others are ignored: nothing in their history can be replayed).
 * `customers` sorted by createdAt, `orders` by `at`. A customer exists from their createdAt, or
 * from their first order if Shopify dated that earlier. Yields the periods ended at each
 * boundary in turn, so a caller can let other work run between boundaries.
 */
export function* replayPeriods(input: {
  customers: readonly ReplayCustomer[];
  orders: readonly ReplayOrder[];
  segments: readonly { id: string; handle: string }[];
  settings: ShopSettings;
  periods: readonly Period[];
}): Generator<PeriodStat[]> {
  const segmentIdsOf = builtInSegmentIdsOf(input.segments);
  const aggregates = new Map<string, OrderAggregate>();
  const instants = [
    ...new Set(input.periods.flatMap((p) => [p.startAt.getTime(), p.endAt.getTime()])),
  ].sort((a, b) => a - b);
  const open: { period: Period; cohort: Snapshot; orders: PeriodOrders }[] = [];
  let nextCustomer = 0;
  let nextOrder = 0;

  const membersAt = (at: number): Snapshot => {
    const snapshot: Snapshot = new Map(input.segments.map((s) => [s.id, new Set<string>()]));
    const { scores } = scoreShop(aggregates, input.settings, new Date(at));
    for (const [customerId, score] of scores)
      for (const segmentId of segmentIdsOf(score)) snapshot.get(segmentId)?.add(customerId);
    return snapshot;
  };

  for (const at of instants) {
    for (; nextCustomer < input.customers.length; nextCustomer++) {
      const customer = input.customers[nextCustomer];
      if (customer.createdAt > at) break;
      if (!aggregates.has(customer.id)) aggregates.set(customer.id, NO_ORDERS);
    }
    // An order exactly at a boundary belongs to the period that ends there (§10).
    for (; nextOrder < input.orders.length; nextOrder++) {
      const order = input.orders[nextOrder];
      if (order.at > at) break;
      aggregates.set(order.customerId, withOrder(aggregates.get(order.customerId), order));
      for (const { orders } of open) {
        const sum = orders.get(order.customerId) ?? { orders: 0, revenueCents: 0n };
        orders.set(order.customerId, {
          orders: sum.orders + 1,
          revenueCents: sum.revenueCents + order.totalCents,
        });
      }
    }
    const snapshot = membersAt(at);
    const stats: PeriodStat[] = [];
    for (let index = open.length - 1; index >= 0; index--) {
      const { period, cohort, orders } = open[index];
      if (period.endAt.getTime() !== at) continue;
      open.splice(index, 1);
      for (const segment of input.segments)
        stats.push(
          periodStat(
            segment.id,
            period,
            cohort.get(segment.id)!,
            snapshot.get(segment.id)!,
            orders,
          ),
        );
    }
    for (const period of input.periods)
      if (period.startAt.getTime() === at)
        open.push({ period, cohort: snapshot, orders: new Map() });
    yield stats;
  }
}

function withOrder(current: OrderAggregate | undefined, order: ReplayOrder): OrderAggregate {
  const before = current ?? NO_ORDERS;
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

function periodStat(
  segmentId: string,
  period: Period,
  cohort: Set<string>,
  members: Set<string>,
  periodOrders: PeriodOrders,
): PeriodStat {
  let buyers = 0;
  let repeatBuyers = 0;
  let orders = 0;
  let revenueCents = 0n;
  let left = 0;
  for (const customerId of cohort) {
    if (!members.has(customerId)) left++;
    const bought = periodOrders.get(customerId);
    if (!bought) continue;
    buyers++;
    orders += bought.orders;
    revenueCents += bought.revenueCents;
    if (bought.orders >= 2) repeatBuyers++;
  }
  return {
    segmentId,
    grain: period.grain,
    start: period.start,
    members: members.size,
    cohort: cohort.size,
    buyers,
    repeatBuyers,
    orders,
    revenueCents,
    entered: members.size - (cohort.size - left),
    left,
  };
}

/** What a merchant reads off a period's row: rates as shares (0–1), money in cents. */
export interface PeriodKpis {
  members: number;
  conversion: number | null;
  orders: number;
  revenueCents: bigint;
  aovCents: bigint | null;
  repeatRate: number | null;
  entered: number;
  left: number;
}

export function periodKpis(stat: Omit<PeriodStat, "segmentId" | "grain" | "start">): PeriodKpis {
  return {
    members: stat.members,
    conversion: stat.cohort ? stat.buyers / stat.cohort : null,
    orders: stat.orders,
    revenueCents: stat.revenueCents,
    aovCents: stat.orders ? stat.revenueCents / BigInt(stat.orders) : null,
    repeatRate: stat.buyers ? stat.repeatBuyers / stat.buyers : null,
    entered: stat.entered,
    left: stat.left,
  };
}

/** Relative change from `previous` to `current` (0.1 = +10 %); null when there is no base. */
export function relativeChange(
  current: number | bigint | null,
  previous: number | bigint | null,
): number | null {
  if (current === null || previous === null || Number(previous) === 0) return null;
  return (Number(current) - Number(previous)) / Number(previous);
}

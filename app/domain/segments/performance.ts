/**
 * Segment performance per period (PRODUCT.md §10): the built-in segments' members re-evaluated
 * as of each period boundary from counted orders, and each period's figures for the members at
 * its start. Pure: orders and customers come in as plain data, sorted.
 */
import type { ShopSettings } from "../settings";
import { segmentMasks } from "./member-masks";
import type { Grain, Period } from "./periods";
import { ReplayShop, type ReplayOrder } from "./replay-shop";

export interface ReplayCustomer {
  id: string;
  createdAt: number;
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

/** Each customer's built-in handle mask at an instant, by the replay's customer index. */
type Snapshot = Uint32Array;
/** The period's counted orders so far, by customer index. */
type PeriodOrders = Map<number, { orders: number; revenueCents: bigint }>;

/** Customers scored, or orders counted, between two pauses: a few milliseconds of work. */
const CUSTOMERS_PER_STEP = 5_000;
const ORDERS_PER_STEP = 10_000;

/**
 * Replays the shop's counted orders and computes each period's figures for every built-in
 * segment in `segments` (others are ignored: nothing in their history can be replayed).
 * `customers` sorted by createdAt, `orders` by `at`. A customer exists from their createdAt, or
 * from their first order if Shopify dated that earlier. Yields after every step of work: the
 * periods that ended at a boundary, or none while the orders before a boundary are counted or its
 * members scored (every `customersPerStep` customers), so a caller can let other work run in
 * between.
 */
export function* replayPeriods(input: {
  customers: readonly ReplayCustomer[];
  orders: readonly ReplayOrder[];
  segments: readonly { id: string; handle: string }[];
  settings: ShopSettings;
  periods: readonly Period[];
  customersPerStep?: number;
}): Generator<PeriodStat[]> {
  const step = input.customersPerStep ?? CUSTOMERS_PER_STEP;
  const masks = segmentMasks(input.segments);
  const shop = new ReplayShop();
  const instants = [
    ...new Set(input.periods.flatMap((p) => [p.startAt.getTime(), p.endAt.getTime()])),
  ].sort((a, b) => a - b);
  const open: { period: Period; cohort: Snapshot; orders: PeriodOrders }[] = [];
  let nextCustomer = 0;
  let nextOrder = 0;

  for (const at of instants) {
    for (; nextCustomer < input.customers.length; nextCustomer++) {
      const customer = input.customers[nextCustomer];
      if (customer.createdAt > at) break;
      shop.addCustomer(customer.id);
    }
    // An order exactly at a boundary belongs to the period that ends there (§10).
    for (; nextOrder < input.orders.length; nextOrder++) {
      const order = input.orders[nextOrder];
      if (order.at > at) break;
      const index = shop.addOrder(order);
      for (const { orders } of open) {
        const sum = orders.get(index);
        if (sum) {
          sum.orders++;
          sum.revenueCents += order.totalCents;
        } else orders.set(index, { orders: 1, revenueCents: order.totalCents });
      }
      // The first boundary counts the whole history before it.
      if (nextOrder % ORDERS_PER_STEP === ORDERS_PER_STEP - 1) yield [];
    }
    const snapshot = new Uint32Array(shop.size);
    const asOf = new Date(at);
    for (let from = 0; from < shop.size; from += step) {
      if (from > 0) yield [];
      shop.scoreInto(snapshot, from, Math.min(from + step, shop.size), input.settings, asOf);
    }
    const stats: PeriodStat[] = [];
    for (let index = open.length - 1; index >= 0; index--) {
      const { period, cohort, orders } = open[index];
      if (period.endAt.getTime() !== at) continue;
      open.splice(index, 1);
      const pairs = maskPairs(cohort, snapshot);
      input.segments.forEach((segment, position) =>
        stats.push(periodStat(segment.id, masks[position], period, cohort, pairs, orders)),
      );
    }
    for (const period of input.periods)
      if (period.startAt.getTime() === at)
        open.push({ period, cohort: snapshot, orders: new Map() });
    yield stats;
  }
}

/** Masks are Uint32: a pair of them is one exact number. */
const PAIR_SPAN = 2 ** 32;

/**
 * How many customers had each pair of masks at a period's start and end. Customers fall into a
 * few hundred pairs at most, so each segment's counts come from those, not from every customer.
 */
function maskPairs(cohort: Snapshot, end: Snapshot) {
  const counts = new Map<number, number>();
  for (let index = 0; index < end.length; index++) {
    // Customers met after the period started were in no segment at its start.
    const key = (index < cohort.length ? cohort[index] : 0) * PAIR_SPAN + end[index];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function periodStat(
  segmentId: string,
  mask: number,
  period: Period,
  cohort: Snapshot,
  pairs: Map<number, number>,
  periodOrders: PeriodOrders,
): PeriodStat {
  let members = 0;
  let cohortSize = 0;
  let left = 0;
  for (const [key, count] of pairs) {
    const isMember = ((key % PAIR_SPAN) & mask) !== 0;
    if (isMember) members += count;
    if ((Math.floor(key / PAIR_SPAN) & mask) === 0) continue;
    cohortSize += count;
    if (!isMember) left += count;
  }
  let buyers = 0;
  let repeatBuyers = 0;
  let orders = 0;
  let revenueCents = 0n;
  for (const [index, bought] of periodOrders) {
    if (index >= cohort.length || (cohort[index] & mask) === 0) continue;
    buyers++;
    orders += bought.orders;
    revenueCents += bought.revenueCents;
    if (bought.orders >= 2) repeatBuyers++;
  }
  return {
    segmentId,
    grain: period.grain,
    start: period.start,
    members,
    cohort: cohortSize,
    buyers,
    repeatBuyers,
    orders,
    revenueCents,
    entered: members - (cohortSize - left),
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

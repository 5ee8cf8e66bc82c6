import {
  meanDifferenceInterval,
  shareDifferenceInterval,
  type Interval,
  type Sample,
} from "./intervals";
import { daysInWords, durationPhrase, type TestPlan } from "./sample-size";
import { isCountedOrder, type OrderFacts } from "../segments/rfm";

/**
 * What a bar changes (PRODUCT.md §8), as an intention-to-treat comparison: among the customers in
 * the bar's audience while it was live, those assigned to see it against those held out, whether
 * or not they visited. Per group: conversion (share with a counted order in the window), orders
 * and revenue per customer; the differences with 95 % intervals (intervals.ts says which and why);
 * and one sentence for the merchant.
 */

/** One customer of the audience: their counted orders in the window, and what those came to. */
export interface CustomerOutcome {
  orders: number;
  revenueCents: number;
}

/** What the report reads of an order (the facts PRODUCT.md §1 counts it by, and its total). */
export type CountableOrder = Pick<
  OrderFacts,
  "customerId" | "processedAt" | "cancelledAt" | "test" | "totalCents"
>;

/**
 * Each audience customer's outcome over the window: their counted orders (PRODUCT.md §1)
 * processed from `from` up to `to`, and what those came to. Customers without one get zeros.
 */
export function windowOutcomes(
  customerIds: Iterable<string>,
  orders: Iterable<CountableOrder>,
  { from, to }: { from: Date; to: Date },
): CustomerOutcome[] {
  const byCustomer = new Map<string, CustomerOutcome>();
  for (const id of customerIds) byCustomer.set(id, { orders: 0, revenueCents: 0 });
  for (const order of orders) {
    const outcome = order.customerId === null ? undefined : byCustomer.get(order.customerId);
    if (!outcome || order.processedAt < from) continue;
    if (!isCountedOrder(order, to)) continue;
    outcome.orders += 1;
    outcome.revenueCents += Number(order.totalCents);
  }
  return [...byCustomer.values()];
}

export interface GroupSummary {
  customers: number;
  /** Customers with at least one counted order. */
  converted: number;
  orders: Sample;
  revenueCents: Sample;
}

/** Mean and sample variance, in two passes (sums of squares of cents lose digits). */
function sample(values: readonly number[]): Sample {
  const count = values.length;
  const mean = count ? values.reduce((sum, value) => sum + value, 0) / count : 0;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return { count, mean, variance: count > 1 ? squares / (count - 1) : 0 };
}

export function summarizeGroup(outcomes: readonly CustomerOutcome[]): GroupSummary {
  for (const { orders, revenueCents } of outcomes)
    if (!(Number.isInteger(orders) && orders >= 0 && Number.isFinite(revenueCents)))
      throw new Error(`not a customer outcome: ${JSON.stringify({ orders, revenueCents })}`);
  return {
    customers: outcomes.length,
    converted: outcomes.filter((outcome) => outcome.orders > 0).length,
    orders: sample(outcomes.map((outcome) => outcome.orders)),
    revenueCents: sample(outcomes.map((outcome) => outcome.revenueCents)),
  };
}

export interface Comparison {
  shown: number;
  heldOut: number;
  /** shown − heldOut */
  difference: number;
  /** Null while a group is too small to say anything. */
  interval: Interval | null;
  /** difference / heldOut; null when the held-out value is 0. */
  relative: number | null;
}

export interface LiftReport {
  level: number;
  shownCustomers: number;
  heldOutCustomers: number;
  /** Shares (0.214 for 21.4 %). */
  conversion: Comparison;
  ordersPerCustomer: Comparison;
  revenuePerCustomerCents: Comparison;
}

function comparison(shown: number, heldOut: number, interval: Interval | null): Comparison {
  return {
    shown,
    heldOut,
    difference: shown - heldOut,
    interval,
    relative: heldOut === 0 ? null : (shown - heldOut) / heldOut,
  };
}

export function liftReport(shown: GroupSummary, heldOut: GroupSummary, level = 0.95): LiftReport {
  const share = (group: GroupSummary) => (group.customers ? group.converted / group.customers : 0);
  const bothThere = shown.customers > 0 && heldOut.customers > 0;
  return {
    level,
    shownCustomers: shown.customers,
    heldOutCustomers: heldOut.customers,
    conversion: comparison(
      share(shown),
      share(heldOut),
      bothThere
        ? shareDifferenceInterval(
            { successes: shown.converted, trials: shown.customers },
            { successes: heldOut.converted, trials: heldOut.customers },
            level,
          )
        : null,
    ),
    ordersPerCustomer: comparison(
      shown.orders.mean,
      heldOut.orders.mean,
      meanDifferenceInterval(shown.orders, heldOut.orders, level),
    ),
    revenuePerCustomerCents: comparison(
      shown.revenueCents.mean,
      heldOut.revenueCents.mean,
      meanDifferenceInterval(shown.revenueCents, heldOut.revenueCents, level),
    ),
  };
}

/**
 * The level an early call needs (Haybittle–Peto): a merchant may look every day, and stopping at
 * the first 95 % interval that excludes zero would call a useless bar a winner far more often
 * than one time in twenty. Before the planned size, only a 99.9 % interval clear of zero counts;
 * at the planned size the 95 % one decides. Over a few dozen looks the false-alarm rate stays
 * close to 5 %.
 */
export const EARLY_LEVEL = 0.999;

export type Call = "too-early" | "helps" | "hurts" | "no-clear-difference";

export interface Verdict {
  call: Call;
  sentence: string;
  /** Whether the planned size (days and both groups) is reached; false without a plan. */
  planReached: boolean;
}

export interface Progress {
  /** Days since the bar went live with its holdout. */
  elapsedDays: number;
  /** The plan made before launch (planTest); without one, only an early call can be made. */
  plan: TestPlan | null;
}

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;
const points = (value: number) =>
  `${value > 0 ? "+" : value < 0 ? "−" : "±"}${Math.abs(100 * value).toFixed(1)}`;

export function liftVerdict(
  shown: GroupSummary,
  heldOut: GroupSummary,
  { elapsedDays, plan }: Progress,
): Verdict {
  const report = liftReport(shown, heldOut);
  const { conversion } = report;
  const planReached =
    plan !== null &&
    elapsedDays >= plan.days &&
    shown.customers >= plan.shown &&
    heldOut.customers >= plan.heldOut;
  if (!conversion.interval)
    return {
      call: "too-early",
      planReached,
      sentence:
        "Too early to tell: no customer of this bar's audience has been held out yet (or none shown it).",
    };
  const decisive = planReached
    ? conversion.interval
    : liftReport(shown, heldOut, EARLY_LEVEL).conversion.interval!;
  const facts = `${percent(conversion.shown)} of customers shown the bar ordered, against ${percent(conversion.heldOut)} of those held out (${points(conversion.difference)} points; 95 % interval ${points(conversion.interval.low)} to ${points(conversion.interval.high)})`;
  if (decisive.low > 0) return { call: "helps", planReached, sentence: `The bar works: ${facts}.` };
  if (decisive.high < 0)
    return {
      call: "hurts",
      planReached,
      sentence: `The bar costs you orders: ${facts}. Consider changing or switching it off.`,
    };
  if (planReached)
    return {
      call: "no-clear-difference",
      planReached,
      sentence: `No clear difference after the planned ${daysInWords(plan.days)}: ${facts}. If the bar changes anything, it is less than this test could see.`,
    };
  const waiting =
    plan === null
      ? "Your audience is too small for a planned test (see the plan), so only an overwhelming difference will count."
      : elapsedDays < plan.days
        ? `The planned test ends in ${durationPhrase(Math.ceil(plan.days - elapsedDays))}.`
        : `The planned ${plan.heldOut.toLocaleString("en-US")} held-out and ${plan.shown.toLocaleString("en-US")} shown customers are not there yet.`;
  return { call: "too-early", planReached, sentence: `Too early to tell: ${facts}. ${waiting}` };
}

/** Built-in lifecycle segments (PRODUCT.md §4) with per-shop thresholds. */
import type { ShopSettings } from "../settings";
import { DAY_MS, type OrderAggregate, type RfmScores } from "./rfm";

export const LIFECYCLE_SEGMENTS = [
  {
    handle: "one-time",
    name: "One-time buyers",
    describe: () => "Customers with exactly one order.",
  },
  {
    handle: "repeat",
    name: "Repeat buyers",
    describe: () => "Customers with two or more orders.",
  },
  {
    handle: "new-buyers",
    name: "New buyers",
    describe: (s: LifecycleThresholds) =>
      `Customers whose first order was at most ${s.newBuyerDays} days ago.`,
  },
  {
    handle: "vip",
    name: "VIP",
    describe: (s: LifecycleThresholds) =>
      `Repeat buyers whose total spend is at or above the ${formatPercent(s.vipPercentile)} percentile of your buyers.`,
  },
  {
    handle: "lapsed-90",
    name: "We miss you",
    describe: (s: LifecycleThresholds) =>
      `Customers whose last order was more than ${s.lapsedDays} days ago.`,
  },
  {
    handle: "never-purchased",
    name: "Never purchased",
    describe: () => "Customers without any order (cancelled and test orders don't count).",
  },
  {
    handle: "discount-seekers",
    name: "Discount seekers",
    describe: (s: LifecycleThresholds) =>
      `Repeat buyers who used a discount code on at least ${formatPercent(s.discountSeekerShare)} of their orders.`,
  },
] as const;

export type LifecycleHandle = (typeof LIFECYCLE_SEGMENTS)[number]["handle"];

export type LifecycleThresholds = Pick<
  ShopSettings,
  "newBuyerDays" | "lapsedDays" | "vipPercentile" | "discountSeekerShare"
>;

function formatPercent(share: number) {
  return `${Math.round(share * 1000) / 10}%`;
}

/**
 * The lifecycle segments one customer belongs to. `scores` is null for customers without a
 * counted order. "At most N days" compares exact elapsed time; "more than N days" compares R_raw.
 */
export function lifecycleSegmentsFor(
  aggregate: OrderAggregate,
  scores: RfmScores | null,
  thresholds: LifecycleThresholds,
  asOf: Date,
): LifecycleHandle[] {
  const { orders } = aggregate;
  if (orders === 0 || !scores || !aggregate.firstOrderAt) return ["never-purchased"];
  const handles: LifecycleHandle[] = [orders === 1 ? "one-time" : "repeat"];
  if (asOf.getTime() - aggregate.firstOrderAt.getTime() <= thresholds.newBuyerDays * DAY_MS)
    handles.push("new-buyers");
  if (orders >= 2 && scores.spendBelowShare >= thresholds.vipPercentile) handles.push("vip");
  if (scores.recencyDays > thresholds.lapsedDays) handles.push("lapsed-90");
  if (orders >= 2 && aggregate.discountOrders / orders >= thresholds.discountSeekerShare)
    handles.push("discount-seekers");
  return handles;
}

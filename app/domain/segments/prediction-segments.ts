/**
 * The built-in segments on the stored predictions (PRODUCT.md §9), with per-shop thresholds. Each
 * is a rule over the prediction fields, so the database selects their members like a custom
 * segment's, and the "why" panel explains them condition by condition.
 */
import type { ShopSettings } from "../settings";
import type { RuleNode } from "./rules";

export type PredictionThresholds = Pick<
  ShopSettings,
  "likelyToBuyOrders90d" | "slippingAwayOverdueDays" | "slippingAwayMinChance"
>;

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

export const PREDICTION_SEGMENTS = [
  {
    handle: "likely-to-buy-soon",
    name: "Likely to buy soon",
    describe: (s: PredictionThresholds) =>
      `Expected to place at least ${s.likelyToBuyOrders90d} orders in the next 90 days (latest predictions).`,
    rule: (s: PredictionThresholds): RuleNode => ({
      field: "expected_orders_90d",
      op: ">=",
      value: s.likelyToBuyOrders90d,
    }),
  },
  {
    handle: "slipping-away",
    name: "Slipping away",
    describe: (s: PredictionThresholds) =>
      `Repeat buyers at least ${s.slippingAwayOverdueDays} days past their usual interval, still a customer with a chance of ${percent(s.slippingAwayMinChance)} or more (latest predictions).`,
    rule: (s: PredictionThresholds): RuleNode => ({
      and: [
        { field: "frequency", op: ">=", value: 2 },
        { field: "days_overdue", op: ">=", value: s.slippingAwayOverdueDays },
        { field: "p_alive", op: ">=", value: s.slippingAwayMinChance },
      ],
    }),
  },
] as const;

export type PredictionSegmentHandle = (typeof PREDICTION_SEGMENTS)[number]["handle"];

/** The rule of a built-in prediction segment under the shop's thresholds; null: no such one. */
export function predictionSegmentRule(handle: string, thresholds: PredictionThresholds) {
  return PREDICTION_SEGMENTS.find((segment) => segment.handle === handle)?.rule(thresholds) ?? null;
}

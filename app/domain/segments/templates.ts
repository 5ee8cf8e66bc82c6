/**
 * Starting points for custom segments, each with the step a merchant usually takes next, and the
 * next step for the built-in segments (PRODUCT.md §3–4). Plain data: the pages link the actions.
 */
import type { RuleNode } from "./rules";

/** Where a suggested step leads in the app. */
export type SuggestedAction =
  | { kind: "bar"; label: string }
  | { kind: "email"; label: string }
  | { kind: "upsell"; label: string };

export interface SegmentTemplate {
  id: string;
  name: string;
  description: string;
  rule: RuleNode;
  action: SuggestedAction;
}

export const SEGMENT_TEMPLATES: readonly SegmentTemplate[] = [
  {
    id: "big-spenders-gone-quiet",
    name: "Big spenders gone quiet",
    description: "Spent $200 or more, but no order for over 90 days.",
    rule: {
      and: [
        { field: "monetary", op: ">=", value: 20_000 },
        { field: "recency", op: ">", value: 90 },
      ],
    },
    action: { kind: "email", label: "Win them back with a Shopify Email segment" },
  },
  {
    id: "second-order-nudge",
    name: "Second order nudge",
    description: "One order so far, placed in the last 30 days.",
    rule: {
      and: [
        { field: "frequency", op: "=", value: 1 },
        { field: "recency", op: "<=", value: 30 },
      ],
    },
    action: { kind: "bar", label: "Show them a bar with a second-order offer" },
  },
  {
    id: "loyal-regulars",
    name: "Loyal regulars",
    description: "Four or more orders, the last within 60 days.",
    rule: {
      and: [
        { field: "frequency", op: ">=", value: 4 },
        { field: "recency", op: "<=", value: 60 },
      ],
    },
    action: { kind: "bar", label: "Make a VIP bar for them" },
  },
  {
    id: "discount-driven",
    name: "Discount driven",
    description: "Two or more orders with a discount code.",
    rule: { field: "orders", op: ">=", value: 2, where: { discount: true } },
    action: { kind: "email", label: "Leave them out of full-price campaigns" },
  },
  {
    id: "subscribed-never-bought",
    name: "Subscribed, never bought",
    description: "Subscribed to email marketing without a single order.",
    rule: {
      and: [
        { field: "frequency", op: "=", value: 0 },
        { field: "email_marketing", op: "in", value: ["SUBSCRIBED"] },
      ],
    },
    action: { kind: "email", label: "Send them a welcome offer" },
  },
];

/** The usual next step for a built-in segment, by handle (RFM, lifecycle and prediction ones). */
export const BUILT_IN_SUGGESTIONS: Readonly<Record<string, SuggestedAction>> = {
  champions: { kind: "bar", label: "Make a VIP bar" },
  loyal: { kind: "upsell", label: "Pin your new arrivals in upsells" },
  "at-risk": { kind: "email", label: "Win-back Shopify Email segment" },
  "almost-lost": { kind: "email", label: "Last-chance Shopify Email segment" },
  "needs-attention": { kind: "email", label: "Check-in Shopify Email segment" },
  new: { kind: "bar", label: "Welcome bar for first-time buyers" },
  "new-buyers": { kind: "bar", label: "Welcome bar for first-time buyers" },
  "one-time": { kind: "bar", label: "Second-order bar" },
  vip: { kind: "bar", label: "Make a VIP bar" },
  "lapsed-90": { kind: "email", label: "Win-back Shopify Email segment" },
  "likely-to-buy-soon": { kind: "bar", label: "Show them a bar with what's new" },
  "slipping-away": { kind: "email", label: "Win them back before they lapse" },
};

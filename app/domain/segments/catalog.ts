/**
 * The built-in segments every shop gets: Shopify's eleven RFM groups, seven lifecycle segments
 * and two on the predictions; and three email engagement groups for shops that send Shopify Email
 * (created by their own job: engagement.ts).
 */
import type { ShopSettings } from "../settings";
import { ENGAGEMENT_HANDLES } from "./engagement";
import { LIFECYCLE_SEGMENTS } from "./lifecycle";
import { PREDICTION_SEGMENTS } from "./prediction-segments";
import { RFM_GROUPS } from "./rfm";

export type SegmentKind = "rfm" | "lifecycle" | "prediction" | "engagement" | "custom";

export interface BuiltInSegment {
  handle: string;
  name: string;
  kind: Exclude<SegmentKind, "custom">;
  description: string;
}

const RFM_DESCRIPTIONS: Record<string, string> = {
  champions: "Bought recently, buy often and spend the most.",
  loyal: "Buy regularly and spend well; not always the most recent.",
  active: "Bought recently with average frequency and spend.",
  new: "Bought very recently, but only little so far.",
  promising: "Recent buyers with low frequency and spend.",
  "needs-attention": "Average recency, frequency and spend; may slip away.",
  "previously-loyal": "Used to buy often and spend a lot, but not lately.",
  "at-risk": "Average buyers who haven't bought for a while.",
  "almost-lost": "Bought little, a while ago.",
  dormant: "Bought little, long ago.",
  prospects: "No order yet (cancelled and test orders don't count).",
};

export function builtInSegments(settings: ShopSettings): BuiltInSegment[] {
  return [
    ...RFM_GROUPS.map((group) => ({
      handle: group.handle,
      name: group.name,
      kind: "rfm" as const,
      description: RFM_DESCRIPTIONS[group.handle],
    })),
    ...LIFECYCLE_SEGMENTS.map((segment) => ({
      handle: segment.handle,
      name: segment.name,
      kind: "lifecycle" as const,
      description: segment.describe(settings),
    })),
    ...PREDICTION_SEGMENTS.map((segment) => ({
      handle: segment.handle,
      name: segment.name,
      kind: "prediction" as const,
      description: segment.describe(settings),
    })),
  ];
}

export const BUILT_IN_HANDLES: readonly string[] = [
  ...RFM_GROUPS.map((group) => group.handle),
  ...LIFECYCLE_SEGMENTS.map((segment) => segment.handle),
  ...PREDICTION_SEGMENTS.map((segment) => segment.handle),
  ...ENGAGEMENT_HANDLES,
];

/** Whether a full or incremental recompute decides the segment's members (Shopify does not). */
export const isComputedHere = (kind: string) => kind !== "engagement";

/** The built-in handles a scored customer belongs to (prediction segments are rules: not here). */
export function builtInHandlesFor(score: { rfmGroup: string; lifecycle: readonly string[] }) {
  return [score.rfmGroup, ...score.lifecycle];
}

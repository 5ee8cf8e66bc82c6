/**
 * The rule behind a segment whose members the database selects: a custom segment's stored rule,
 * or a built-in prediction segment's rule under the shop's thresholds. RFM and lifecycle segments
 * have none (they follow from the scores).
 */
import type { ShopSettings } from "../settings";
import { predictionSegmentRule } from "./prediction-segments";
import { parseRule, usesPredictions, type RuleValidation } from "./rules";

export const isRuleBased = (kind: string) => kind === "custom" || kind === "prediction";

/** Null for a segment without a rule; a stored rule that no longer validates says why. */
export function segmentRule(
  segment: { kind: string; handle: string; rule: string | null },
  settings: ShopSettings,
): RuleValidation | null {
  if (segment.kind === "custom") return parseRule(segment.rule ?? "");
  if (segment.kind !== "prediction") return null;
  const rule = predictionSegmentRule(segment.handle, settings);
  return rule
    ? { ok: true, rule }
    : {
        ok: false,
        problems: [{ path: "", message: `"${segment.handle}" is no built-in segment.` }],
      };
}

/** Whether the segment's members depend on the stored predictions. */
export function segmentUsesPredictions(
  segment: { kind: string; handle: string; rule: string | null },
  settings: ShopSettings,
) {
  const validation = segmentRule(segment, settings);
  return validation?.ok === true && usesPredictions(validation.rule);
}

/**
 * Shopify Flow triggers for segment moves (PRODUCT.md §5): each entry into or exit from a segment
 * whose Flow switch is on becomes one `flowTriggerReceive` call of the matching trigger extension
 * (extensions/persegment-segment-entered, -left). Only moves recorded after the switch was turned
 * on are sent, so turning it on never floods Flow with the segment's existing members.
 */
import { numericId } from "../customer-links";

export const FLOW_TRIGGER_HANDLES = {
  entered: "persegment-segment-entered",
  left: "persegment-segment-left",
} as const;

export type SegmentMoveKind = keyof typeof FLOW_TRIGGER_HANDLES;

export interface SegmentMove {
  /** The recorded event's id: moves are sent in this order, and the cursor follows it. */
  id: number;
  kind: string;
  customerId: string;
  at: Date;
}

export interface FlowSegment {
  name: string;
  handle: string;
  /** When the merchant turned Flow on for the segment. */
  flowEnabledAt: Date;
}

export interface FlowTriggerCall {
  handle: string;
  payload: { customer_id: number; "Segment name": string; "Segment handle": string };
}

/**
 * The trigger call for a move, or null when none is due: a kind Flow has no trigger for, or a move
 * dated before the switch was turned on (history rebuilt later is not news).
 */
export function flowTriggerFor(segment: FlowSegment, move: SegmentMove): FlowTriggerCall | null {
  if (move.kind !== "entered" && move.kind !== "left") return null;
  if (move.at < segment.flowEnabledAt) return null;
  return {
    handle: FLOW_TRIGGER_HANDLES[move.kind],
    payload: {
      customer_id: Number(numericId(move.customerId)),
      "Segment name": segment.name,
      "Segment handle": segment.handle,
    },
  };
}

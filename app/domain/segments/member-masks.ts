/**
 * Built-in memberships as bit masks: one bit per RFM group and lifecycle handle, so that who was
 * in which segment at an instant is one number per customer. The performance replay (§10) takes
 * such a snapshot of the whole shop at every period boundary; as sets of ids per segment, those
 * snapshots cost more than the scoring itself.
 */
import { builtInHandlesFor } from "./catalog";
import { LIFECYCLE_SEGMENTS } from "./lifecycle";
import { RFM_GROUP_HANDLES } from "./rfm";

/** 18 handles: the bits fit a Uint32Array's elements. */
const BIT_OF_HANDLE = new Map(
  [...RFM_GROUP_HANDLES, ...LIFECYCLE_SEGMENTS.map((segment) => segment.handle)].map(
    (handle, index) => [handle as string, 1 << index],
  ),
);

/** The bits of a scored customer's built-in handles (never 0: everyone has an RFM group). */
export function handleMask(score: { rfmGroup: string; lifecycle: readonly string[] }) {
  let mask = 0;
  for (const handle of builtInHandlesFor(score)) mask |= BIT_OF_HANDLE.get(handle) ?? 0;
  return mask;
}

/**
 * Each segment's bits: a customer is a member when their handle mask shares one. A handle counts
 * for the segment it leads to as in `builtInSegmentIdsOf` (the last segment with that handle).
 */
export function segmentMasks(segments: readonly { id: string; handle: string }[]) {
  const segmentIdByHandle = new Map(segments.map((segment) => [segment.handle, segment.id]));
  return segments.map((segment) => {
    let mask = 0;
    for (const [handle, bit] of BIT_OF_HANDLE)
      if (segmentIdByHandle.get(handle) === segment.id) mask |= bit;
    return mask;
  });
}

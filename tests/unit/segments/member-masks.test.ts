import { describe, expect, it } from "vitest";
import { handleMask, segmentMasks } from "~/domain/segments/member-masks";
import { builtInSegmentIdsOf } from "~/domain/segments/memberships";

const segments = [
  { id: "s-champions", handle: "champions" },
  { id: "s-lapsed", handle: "lapsed-90" },
  { id: "s-vip", handle: "vip" },
  { id: "s-prospects", handle: "prospects" },
  // Not built in: nobody is a member by handle.
  { id: "s-custom", handle: "my-custom" },
];

const scores = [
  { rfmGroup: "champions", lifecycle: ["repeat", "vip"] },
  { rfmGroup: "champions", lifecycle: ["one-time", "lapsed-90"] },
  { rfmGroup: "at-risk", lifecycle: ["repeat", "lapsed-90", "discount-seekers"] },
  { rfmGroup: "prospects", lifecycle: ["never-purchased"] },
];

describe("membership masks", () => {
  it("puts a scored customer in the same segments as the segment ids of its handles", () => {
    const idsOf = builtInSegmentIdsOf(segments);
    const masks = segmentMasks(segments);
    for (const score of scores) {
      const mask = handleMask(score);
      const members = segments.filter((_, index) => (mask & masks[index]) !== 0);
      expect(members.map((segment) => segment.id).sort()).toEqual(idsOf(score).sort());
    }
  });

  it("gives each handle its own bit, and a segment without a built-in handle none", () => {
    expect(handleMask({ rfmGroup: "champions", lifecycle: [] })).not.toBe(
      handleMask({ rfmGroup: "loyal", lifecycle: [] }),
    );
    expect(segmentMasks(segments).at(-1)).toBe(0);
  });

  it("counts a handle two segments share for the last of them, as the segment ids do", () => {
    const twice = [
      { id: "first", handle: "vip" },
      { id: "second", handle: "vip" },
    ];
    const masks = segmentMasks(twice);
    expect(masks[0]).toBe(0);
    expect(masks[1]).toBe(handleMask({ rfmGroup: "", lifecycle: ["vip"] }));
    expect(builtInSegmentIdsOf(twice)({ rfmGroup: "", lifecycle: ["vip"] })).toEqual(["second"]);
  });
});

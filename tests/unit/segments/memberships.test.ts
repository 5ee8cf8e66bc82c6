import { describe, expect, it } from "vitest";
import {
  builtInMembers,
  builtInSegmentIdsOf,
  diffMemberships,
  reevaluatesWholeShop,
  ShopMemberships,
  sizeDeltas,
  withReevaluated,
} from "~/domain/segments/memberships";

const sets = (entries: Record<string, string[]>) =>
  new Map(Object.entries(entries).map(([segmentId, ids]) => [segmentId, new Set(ids)]));

const segments = [
  { id: "s-champions", handle: "champions" },
  { id: "s-lapsed", handle: "lapsed-90" },
  { id: "s-custom", handle: "vip" },
];

describe("built-in memberships", () => {
  it("puts a scored customer in the shop's segments of its RFM group and lifecycle handles", () => {
    const idsOf = builtInSegmentIdsOf(segments);
    expect(idsOf({ rfmGroup: "champions", lifecycle: ["lapsed-90"] })).toEqual([
      "s-champions",
      "s-lapsed",
    ]);
    // A handle the shop has no segment for is no membership.
    expect(idsOf({ rfmGroup: "at-risk", lifecycle: [] })).toEqual([]);
  });

  it("gives every segment a member set, empty when nobody belongs", () => {
    const scores = new Map([
      ["c1", { rfmGroup: "champions", lifecycle: [] }],
      ["c2", { rfmGroup: "champions", lifecycle: ["lapsed-90"] }],
    ]);
    expect(builtInMembers(segments, scores)).toEqual(
      sets({ "s-champions": ["c1", "c2"], "s-lapsed": ["c2"], "s-custom": [] }),
    );
  });
});

describe("diffMemberships", () => {
  it("enters the desired members not stored and lets the stored ones not desired leave", () => {
    expect(
      diffMemberships(
        ["a", "b", "c"],
        sets({ a: ["c1", "c2"], b: ["c3"] }),
        sets({ a: ["c2", "c4"], c: ["c5"] }),
      ),
    ).toEqual([
      { segmentId: "a", entered: ["c1"], left: ["c4"] },
      { segmentId: "b", entered: ["c3"], left: [] },
      { segmentId: "c", entered: [], left: ["c5"] },
    ]);
  });
});

describe("sizeDeltas", () => {
  const spent = (entries: Record<string, bigint>) => new Map(Object.entries(entries));

  it("moves size by entries and exits, and revenue by the spend after minus the spend before", () => {
    expect(
      sizeDeltas(
        ["a", "b"],
        ["c1", "c2"],
        sets({ a: ["c1"], b: ["c2"] }),
        sets({ a: ["c1", "c2"], b: [] }),
        { before: spent({ c1: 100n, c2: 50n }), after: spent({ c1: 130n, c2: 70n }) },
      ),
    ).toEqual([
      { segmentId: "a", members: 1, revenueCents: 100n },
      { segmentId: "b", members: -1, revenueCents: -50n },
    ]);
  });

  it("leaves out segments whose size and revenue stay", () => {
    expect(
      sizeDeltas(["a"], ["c1"], sets({ a: ["c1"] }), sets({ a: ["c1"] }), {
        before: spent({ c1: 100n }),
        after: spent({ c1: 100n }),
      }),
    ).toEqual([]);
  });
});

describe("ShopMemberships", () => {
  const customers = [
    { id: "c1", aggregate: { spentCents: 1000n } },
    { id: "c2", aggregate: { spentCents: 250n } },
    { id: "c3", aggregate: { spentCents: 5n } },
  ];

  it("diffs desired members against stored ones and measures the segment", () => {
    const memberships = new ShopMemberships(customers);
    memberships.add("a", 0);
    memberships.addAll("a", ["c2", "unknown"]);
    expect(memberships.diff("a", ["c2", "c3"])).toEqual({
      change: { segmentId: "a", entered: ["c1"], left: ["c3"] },
      size: { segmentId: "a", members: 2, revenueCents: 1250n },
    });
  });

  it("lets a stored member no longer among the customers (deleted) leave", () => {
    expect(new ShopMemberships(customers).diff("a", ["gone"])).toEqual({
      change: { segmentId: "a", entered: [], left: ["gone"] },
      size: { segmentId: "a", members: 0, revenueCents: 0n },
    });
  });
});

describe("custom members after scoring", () => {
  it("evaluates the whole shop again above 2% changed customers", () => {
    expect(reevaluatesWholeShop(20, 1000)).toBe(false);
    expect(reevaluatesWholeShop(21, 1000)).toBe(true);
  });

  it("replaces the changed customers' memberships and takes on new failures", () => {
    const before = {
      members: sets({ a: ["c1", "c2", "c3"], b: ["c1"] }),
      unevaluated: new Map([["x", "invalid rule"]]),
      skipped: ["x"],
    };
    const after = {
      members: sets({ a: ["c3", "c4"] }),
      unevaluated: new Map([["b", "failed"]]),
    };
    const merged = withReevaluated(before, after, ["c2", "c3", "c4"]);
    expect(merged).toBe(before);
    expect(merged.members).toEqual(sets({ a: ["c1", "c3", "c4"] }));
    expect(merged.unevaluated).toEqual(
      new Map([
        ["x", "invalid rule"],
        ["b", "failed"],
      ]),
    );
    expect(merged.skipped).toEqual(["x"]);
  });
});

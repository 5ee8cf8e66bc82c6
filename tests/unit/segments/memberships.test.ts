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
  const weights = (entries: Record<string, [spentCents: bigint, orders: number]>) =>
    new Map(
      Object.entries(entries).map(([id, [spentCents, orders]]) => [id, { spentCents, orders }]),
    );

  it("moves size by entries and exits, revenue and orders by the values after minus before", () => {
    expect(
      sizeDeltas(
        ["a", "b"],
        ["c1", "c2"],
        sets({ a: ["c1"], b: ["c2"] }),
        sets({ a: ["c1", "c2"], b: [] }),
        {
          before: weights({ c1: [100n, 2], c2: [50n, 1] }),
          after: weights({ c1: [130n, 3], c2: [70n, 2] }),
        },
      ),
    ).toEqual([
      { segmentId: "a", members: 1, revenueCents: 100n, orders: 3 },
      { segmentId: "b", members: -1, revenueCents: -50n, orders: -1 },
    ]);
  });

  it("leaves out segments whose size, revenue and orders stay", () => {
    expect(
      sizeDeltas(["a"], ["c1"], sets({ a: ["c1"] }), sets({ a: ["c1"] }), {
        before: weights({ c1: [100n, 2] }),
        after: weights({ c1: [100n, 2] }),
      }),
    ).toEqual([]);
  });
});

describe("ShopMemberships", () => {
  const customers = [
    { id: "c1", aggregate: { spentCents: 1000n, orders: 4 } },
    { id: "c2", aggregate: { spentCents: 250n, orders: 1 } },
    { id: "c3", aggregate: { spentCents: 5n, orders: 1 } },
  ];

  it("diffs desired members against stored ones and measures the segment", () => {
    const memberships = new ShopMemberships(customers);
    memberships.add("a", 0);
    memberships.addAll("a", ["c2", "unknown"]);
    expect(memberships.diff("a", ["c2", "c3"])).toEqual({
      change: { segmentId: "a", entered: ["c1"], left: ["c3"] },
      size: { segmentId: "a", members: 2, revenueCents: 1250n, orders: 5 },
    });
  });

  it("lets a stored member no longer among the customers (deleted) leave", () => {
    expect(new ShopMemberships(customers).diff("a", ["gone"])).toEqual({
      change: { segmentId: "a", entered: [], left: ["gone"] },
      size: { segmentId: "a", members: 0, revenueCents: 0n, orders: 0 },
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

import { describe, expect, it } from "vitest";
import { changedScores, type StoredScore } from "~/domain/segments/score-changes";
import type { CustomerScore } from "~/domain/segments/scoring";

const at = (day: number) => new Date(Date.UTC(2026, 0, day));

const score: CustomerScore = {
  aggregate: {
    orders: 2,
    spentCents: 4200n,
    discountOrders: 1,
    firstOrderAt: at(1),
    lastOrderAt: at(9),
  },
  scores: { r: 5, f: 3, m: 4, recencyDays: 3, spendBelowShare: 0.5 },
  rfmGroup: "loyal",
  lifecycle: [],
};

const stored: StoredScore = {
  orders: 2,
  spentCents: 4200n,
  discountOrders: 1,
  firstOrderAt: at(1),
  lastOrderAt: at(9),
  r: 5,
  f: 3,
  m: 4,
  rfmGroup: "loyal",
};

describe("changedScores", () => {
  it("writes nothing for a customer whose stored values are the new ones (same instants)", () => {
    const same = { ...stored, firstOrderAt: at(1), lastOrderAt: at(9) };
    expect(changedScores([{ id: "c1", stored: same }], new Map([["c1", score]]))).toEqual([]);
  });

  it("writes the new values of a customer whose stored ones differ in anything", () => {
    const differing: Partial<StoredScore>[] = [
      { orders: 1 },
      { spentCents: 4100n },
      { discountOrders: 0 },
      { firstOrderAt: null },
      { lastOrderAt: at(8) },
      { r: 4 },
      { f: null },
      { m: 5 },
      { rfmGroup: "champions" },
    ];
    for (const change of differing)
      expect(
        changedScores([{ id: "c1", stored: { ...stored, ...change } }], new Map([["c1", score]])),
        JSON.stringify(change, (_key, value) => (typeof value === "bigint" ? `${value}` : value)),
      ).toEqual([{ id: "c1", ...stored }]);
  });

  it("stores no R, F or M for a customer without scores", () => {
    const unscored: CustomerScore = { ...score, scores: null, rfmGroup: "prospects" };
    expect(changedScores([{ id: "c1", stored }], new Map([["c1", unscored]]))).toEqual([
      { id: "c1", ...stored, r: null, f: null, m: null, rfmGroup: "prospects" },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import {
  coPurchasePicks,
  DEFAULT_CO_PURCHASE_OPTIONS,
  mergeUpsells,
  type Basket,
} from "~/domain/upsell/co-purchase";

const NOW = new Date("2026-11-23T00:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const basket = (productIds: string[], age = 1): Basket => ({
  processedAt: daysAgo(age),
  productIds,
});
const options = { ...DEFAULT_CO_PURCHASE_OPTIONS, now: NOW, excluded: new Set<string>() };

const picksFor = (picks: ReturnType<typeof coPurchasePicks>, productId: string) =>
  picks.filter((pick) => pick.productId === productId).map((pick) => pick.recommendedId);

describe("co-purchase recommendations", () => {
  it("measures support, confidence and lift exactly", () => {
    // 4 orders: A+B twice, A+C once, C alone once. No recency effect (all same age).
    const picks = coPurchasePicks(
      [basket(["A", "B"]), basket(["A", "B", "B"]), basket(["A", "C"]), basket(["C"])],
      { ...options, minSupport: 1, minLift: 0 },
    );
    const ab = picks.find((pick) => pick.productId === "A" && pick.recommendedId === "B")!;
    expect(ab).toMatchObject({ support: 2, rank: 1 });
    expect(ab.confidence).toBeCloseTo(2 / 3, 10); // A in 3 orders, with B in 2
    expect(ab.lift).toBeCloseTo(2 / 3 / (2 / 4), 10); // B in 2 of 4 orders
    const ba = picks.find((pick) => pick.productId === "B" && pick.recommendedId === "A")!;
    expect(ba.confidence).toBeCloseTo(1, 10);
    expect(picksFor(picks, "A")).toEqual(["B", "C"]);
  });

  it("drops pairs below the minimum support and below the minimum lift", () => {
    const baskets = [
      basket(["A", "B"]),
      basket(["A", "B"]),
      basket(["A", "C"]),
      basket(["D", "E"]),
    ];
    expect(picksFor(coPurchasePicks(baskets, options), "A")).toEqual(["B"]);
    // Everyone buys X: pairs with X are no better than chance (lift 1) and fall under minLift 1.2.
    const popular = [
      basket(["X", "A"]),
      basket(["X", "A"]),
      basket(["X", "B"]),
      basket(["X", "B"]),
    ];
    expect(
      coPurchasePicks(popular, { ...options, minLift: 1.2 }).filter(
        (pick) => pick.recommendedId === "X",
      ),
    ).toEqual([]);
    expect(
      coPurchasePicks(popular, { ...options, minLift: 1 }).some(
        (pick) => pick.recommendedId === "X",
      ),
    ).toBe(true);
  });

  it("weights recent orders more: this season's pairing outranks an older, larger one", () => {
    const baskets = [
      ...Array.from({ length: 4 }, () => basket(["A", "OLD"], 720)),
      ...Array.from({ length: 3 }, () => basket(["A", "NEW"], 5)),
    ];
    const ranked = picksFor(coPurchasePicks(baskets, { ...options, minLift: 0 }), "A");
    expect(ranked).toEqual(["NEW", "OLD"]);
    const unweighted = picksFor(
      coPurchasePicks(baskets, { ...options, minLift: 0, halfLifeDays: 1e9 }),
      "A",
    );
    expect(unweighted).toEqual(["OLD", "NEW"]);
  });

  it("ignores excluded products and oversized baskets, and caps picks per product", () => {
    const baskets = [
      basket(["A", "GIFT", "B"]),
      basket(["A", "GIFT", "B"]),
      basket(["A", "C"]),
      basket(["A", "C"]),
    ];
    const picks = coPurchasePicks(baskets, { ...options, minLift: 0, excluded: new Set(["GIFT"]) });
    expect(picks.some((pick) => pick.productId === "GIFT" || pick.recommendedId === "GIFT")).toBe(
      false,
    );
    expect(
      picksFor(coPurchasePicks(baskets, { ...options, minLift: 0, perProduct: 1 }), "A"),
    ).toHaveLength(1);
    const bulk = Array.from({ length: 3 }, () =>
      basket(Array.from({ length: 40 }, (_, i) => `P${i}`)),
    );
    expect(coPurchasePicks(bulk, options)).toEqual([]);
  });

  it("breaks ties deterministically", () => {
    const baskets = [
      basket(["A", "C"]),
      basket(["A", "C"]),
      basket(["A", "B"]),
      basket(["A", "B"]),
    ];
    expect(picksFor(coPurchasePicks(baskets, { ...options, minLift: 0 }), "A")).toEqual(["B", "C"]);
  });
});

describe("merging merchant overrides", () => {
  it("puts pins first in the merchant's order, drops exclusions, the product itself and repeats", () => {
    expect(
      mergeUpsells("A", ["B", "C", "D", "A"], { pinned: ["D", "E", "A"], excluded: ["C"] }, 10),
    ).toEqual(["D", "E", "B"]);
  });

  it("respects the limit and works without overrides", () => {
    expect(mergeUpsells("A", ["B", "C", "D"], undefined, 2)).toEqual(["B", "C"]);
    expect(mergeUpsells("A", [], { pinned: [], excluded: [] }, 4)).toEqual([]);
  });
});

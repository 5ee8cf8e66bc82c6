import { describe, expect, it } from "vitest";
import { DEFAULT_SHOP_SETTINGS } from "~/domain/settings";
import { lifecycleSegmentsFor } from "~/domain/segments/lifecycle";
import {
  aggregateOrders,
  isCountedOrder,
  recencyDays,
  RfmPopulation,
  rfmGroupFor,
  rfmGroupFromShopify,
  type OrderFacts,
} from "~/domain/segments/rfm";
import { scoreShop } from "~/domain/segments/scoring";

const asOf = new Date("2026-06-30T12:00:00.000Z");
const daysBefore = (days: number, extraMs = 0) =>
  new Date(asOf.getTime() - days * 86_400_000 - extraMs);

function order(customerId: string | null, overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    customerId,
    processedAt: daysBefore(1),
    cancelledAt: null,
    test: false,
    totalCents: 1000n,
    usedDiscountCode: false,
    ...overrides,
  };
}

describe("counted orders (§1)", () => {
  it("counts only non-cancelled, non-test orders with a customer, processed at or before as-of", () => {
    expect(isCountedOrder(order("a"), asOf)).toBe(true);
    expect(isCountedOrder(order("a", { processedAt: asOf }), asOf)).toBe(true);
    expect(isCountedOrder(order(null), asOf)).toBe(false);
    expect(isCountedOrder(order("a", { cancelledAt: daysBefore(0) }), asOf)).toBe(false);
    expect(isCountedOrder(order("a", { test: true }), asOf)).toBe(false);
    expect(isCountedOrder(order("a", { processedAt: new Date(asOf.getTime() + 1) }), asOf)).toBe(
      false,
    );
  });

  it("aggregates money exactly in minor units, beyond float precision", () => {
    const aggregates = aggregateOrders(
      [
        order("a", { totalCents: 9_007_199_254_740_993n, processedAt: daysBefore(10) }),
        order("a", { totalCents: 1n, processedAt: daysBefore(2), usedDiscountCode: true }),
        order("a", { totalCents: 500n, cancelledAt: daysBefore(1) }),
        order("a", { totalCents: 700n, test: true }),
        order("b", { totalCents: 1999n }),
      ],
      asOf,
    );
    expect(aggregates.get("a")).toEqual({
      orders: 2,
      spentCents: 9_007_199_254_740_994n,
      discountOrders: 1,
      firstOrderAt: daysBefore(10),
      lastOrderAt: daysBefore(2),
    });
    expect(aggregates.get("b")?.spentCents).toBe(1999n);
  });

  it("floors recency to whole elapsed days", () => {
    expect(recencyDays(asOf, asOf)).toBe(0);
    expect(recencyDays(daysBefore(0, 86_399_999), asOf)).toBe(0);
    expect(recencyDays(daysBefore(1), asOf)).toBe(1);
    expect(recencyDays(daysBefore(1, 86_399_999), asOf)).toBe(1);
    expect(recencyDays(daysBefore(2), asOf)).toBe(2);
  });

  it("replays an earlier as-of: later orders vanish and recency shrinks", () => {
    const orders = [
      order("a", { processedAt: new Date("2026-01-10T00:00:00Z") }),
      order("a", { processedAt: new Date("2026-03-10T00:00:00Z") }),
    ];
    const february = new Date("2026-02-10T06:00:00Z");
    expect(aggregateOrders(orders, february).get("a")).toMatchObject({ orders: 1 });
    expect(recencyDays(aggregateOrders(orders, february).get("a")!.lastOrderAt!, february)).toBe(
      31,
    );
    expect(aggregateOrders(orders, new Date("2026-01-09T00:00:00Z")).has("a")).toBe(false);
  });
});

describe("tie-consistent scores (§2)", () => {
  it("scores a hand-computed population of five, with ties getting equal scores", () => {
    const buyers = [
      { id: "a", orders: 1, spentCents: 100n, lastOrderAt: daysBefore(0) },
      { id: "b", orders: 1, spentCents: 100n, lastOrderAt: daysBefore(10) },
      { id: "c", orders: 2, spentCents: 300n, lastOrderAt: daysBefore(10, 3_600_000) },
      { id: "d", orders: 3, spentCents: 50n, lastOrderAt: daysBefore(40) },
      { id: "e", orders: 5, spentCents: 900n, lastOrderAt: daysBefore(100) },
    ];
    const population = new RfmPopulation(buyers);
    const scores = Object.fromEntries(
      buyers.map((buyer) => [buyer.id, population.scoresFor(buyer, asOf)]),
    );
    // F: fewer orders than a/b: 0 -> 1; c: 2 -> 1+floor(10/5)=3; d: 3 -> 4; e: 4 -> 5
    expect(["a", "b", "c", "d", "e"].map((id) => scores[id].f)).toEqual([1, 1, 3, 4, 5]);
    // M: spent less than a/b (100): only d -> 1+floor(5/5)=2; c: 3 -> 4; d: 0 -> 1; e: 4 -> 5
    expect(["a", "b", "c", "d", "e"].map((id) => scores[id].m)).toEqual([2, 2, 4, 1, 5]);
    // R ranks the exact time since the last order: a 0 days, b 10, c 10 days 1 hour, d 40, e 100;
    // ordered earlier than me: a: 4 -> 5; b: 3 -> 4; c: 2 -> 3; d: 1 -> 2; e: 0 -> 1
    expect(["a", "b", "c", "d", "e"].map((id) => scores[id].r)).toEqual([5, 4, 3, 2, 1]);
    expect(scores.c.recencyDays).toBe(10);
    expect(scores.e.spendBelowShare).toBe(0.8);
  });

  it("ties last orders of the same second, and only those", () => {
    const at = daysBefore(2);
    const buyers = [
      { orders: 1, spentCents: 100n, lastOrderAt: at },
      { orders: 1, spentCents: 100n, lastOrderAt: new Date(at.getTime() + 999) },
      { orders: 1, spentCents: 100n, lastOrderAt: new Date(at.getTime() + 1000) },
      { orders: 1, spentCents: 100n, lastOrderAt: daysBefore(9) },
    ];
    const population = new RfmPopulation(buyers);
    // 1 of 4 ordered earlier -> 2; the buyer one second later: 3 of 4 -> 4.
    expect(buyers.map((buyer) => population.scoresFor(buyer, asOf).r)).toEqual([2, 2, 4, 1]);
  });

  it("gives a launch day's most recent buyers R = 5, though everyone ordered today", () => {
    const buyers = Array.from({ length: 100 }, (_, index) => ({
      orders: 1,
      spentCents: 2500n,
      lastOrderAt: new Date(asOf.getTime() - (100 - index) * 60_000),
    }));
    const population = new RfmPopulation(buyers);
    const scores = buyers.map((buyer) => population.scoresFor(buyer, asOf));
    expect(scores.every((score) => score.recencyDays === 0)).toBe(true);
    expect(scores.filter((score) => score.r === 5)).toHaveLength(20);
    // The last fifth to order: R = 5 with low F and M, which is New (not Dormant).
    expect(rfmGroupFor(scores[99])).toBe("new");
    expect(rfmGroupFor(scores[70])).toBe("promising");
  });

  it("gives the only buyer of a shop the lowest scores, which is dormant", () => {
    const only = { orders: 4, spentCents: 123_456n, lastOrderAt: daysBefore(0) };
    const scores = new RfmPopulation([only]).scoresFor(only, asOf);
    expect(scores).toMatchObject({ r: 1, f: 1, m: 1, recencyDays: 0 });
    expect(rfmGroupFor(scores)).toBe("dormant");
  });

  it("gives everyone the same scores when all inputs tie", () => {
    const buyer = { orders: 2, spentCents: 5000n, lastOrderAt: daysBefore(3) };
    const population = new RfmPopulation([buyer, buyer, buyer]);
    expect(population.scoresFor(buyer, asOf)).toMatchObject({ r: 1, f: 1, m: 1 });
  });

  it("keeps a population that is edited one buyer at a time equal to a rebuilt one", () => {
    const buyers = Array.from({ length: 40 }, (_, index) => ({
      orders: 1 + (index % 7),
      spentCents: BigInt((index * 7919) % 1000),
      lastOrderAt: daysBefore(index % 13, index * 1000),
    }));
    const edited = new RfmPopulation(buyers.slice(0, 30));
    for (const buyer of buyers.slice(30)) edited.add(buyer);
    edited.remove(buyers[3]);
    const rebuilt = new RfmPopulation(buyers.filter((_, index) => index !== 3));
    for (const buyer of buyers.filter((_, index) => index !== 3))
      expect(edited.scoresFor(buyer, asOf)).toEqual(rebuilt.scoresFor(buyer, asOf));
  });

  it("keeps a population that replaces many buyers at once equal to a rebuilt one", () => {
    const buyers = Array.from({ length: 60 }, (_, index) => ({
      orders: 1 + (index % 5),
      spentCents: BigInt((index * 7919) % 700),
      lastOrderAt: daysBefore(index % 11, index * 1000),
    }));
    const replaced = new RfmPopulation(buyers.slice(0, 40));
    // Buyers 5–14 order again (their inputs change), 40–59 join, and a removal of inputs nobody
    // has is ignored, as by `remove`.
    const ordered = buyers.slice(5, 15).map((buyer) => ({
      orders: buyer.orders + 1,
      spentCents: buyer.spentCents + 250n,
      lastOrderAt: asOf,
    }));
    const nobody = { orders: 99, spentCents: 1n, lastOrderAt: daysBefore(500) };
    replaced.replace([...buyers.slice(5, 15), nobody], [...ordered, ...buyers.slice(40)]);
    const now = [...buyers.slice(0, 5), ...ordered, ...buyers.slice(15)];
    const rebuilt = new RfmPopulation(now);
    expect(replaced.size).toBe(60);
    for (const buyer of now)
      expect(replaced.scoresFor(buyer, asOf)).toEqual(rebuilt.scoresFor(buyer, asOf));
  });
});

describe("RFM groups (§3)", () => {
  it.each([
    [5, 4, 4, "champions"],
    [5, 5, 2, "active"],
    [5, 2, 2, "new"],
    [4, 5, 3, "loyal"],
    [4, 3, 2, "active"],
    [4, 3, 1, "promising"],
    [3, 4, 4, "loyal"],
    [3, 3, 2, "needs-attention"],
    [3, 1, 1, "needs-attention"],
    [2, 5, 5, "previously-loyal"],
    [2, 3, 3, "at-risk"],
    [2, 2, 2, "almost-lost"],
    [1, 4, 5, "previously-loyal"],
    [1, 1, 4, "at-risk"],
    [1, 1, 3, "dormant"],
  ])("R=%i F=%i M=%i is %s", (r, f, m, group) => {
    expect(rfmGroupFor({ r, f, m })).toBe(group);
  });

  it("puts customers without a counted order in prospects, and reads Shopify's enum", () => {
    expect(rfmGroupFor(null)).toBe("prospects");
    expect(rfmGroupFromShopify("NEEDS_ATTENTION")).toBe("needs-attention");
    expect(rfmGroupFromShopify("SOMETHING_ELSE")).toBeNull();
  });
});

describe("lifecycle segments (§4)", () => {
  const settings = DEFAULT_SHOP_SETTINGS;

  it("applies each default threshold at its boundary", () => {
    const aggregates = new Map([
      // exactly 30 days since first order: new buyer; lapsed needs R_raw > 90
      [
        "new30",
        {
          orders: 1,
          spentCents: 100n,
          discountOrders: 0,
          firstOrderAt: daysBefore(30),
          lastOrderAt: daysBefore(30),
        },
      ],
      [
        "old31",
        {
          orders: 1,
          spentCents: 100n,
          discountOrders: 0,
          firstOrderAt: daysBefore(30, 1),
          lastOrderAt: daysBefore(30, 1),
        },
      ],
      [
        "lapsed90",
        {
          orders: 2,
          spentCents: 200n,
          discountOrders: 1,
          firstOrderAt: daysBefore(200),
          lastOrderAt: daysBefore(90, 86_399_999),
        },
      ],
      [
        "lapsed91",
        {
          orders: 3,
          spentCents: 300n,
          discountOrders: 1,
          firstOrderAt: daysBefore(300),
          lastOrderAt: daysBefore(91),
        },
      ],
      [
        "never",
        { orders: 0, spentCents: 0n, discountOrders: 0, firstOrderAt: null, lastOrderAt: null },
      ],
    ]);
    for (let index = 0; index < 6; index++)
      aggregates.set(`filler${index}`, {
        orders: 1,
        spentCents: 10n,
        discountOrders: 0,
        firstOrderAt: daysBefore(60),
        lastOrderAt: daysBefore(60),
      });
    const { scores } = scoreShop(aggregates, settings, asOf);
    // 10 buyers; lapsed91 spent most: 9 of 10 below -> 0.9 >= 0.9 -> VIP; lapsed90: 8/10 -> not
    expect(scores.get("new30")!.lifecycle).toEqual(["one-time", "new-buyers"]);
    expect(scores.get("old31")!.lifecycle).toEqual(["one-time"]);
    expect(scores.get("lapsed90")!.lifecycle).toEqual(["repeat", "discount-seekers"]);
    expect(scores.get("lapsed91")!.lifecycle).toEqual(["repeat", "vip", "lapsed-90"]);
    expect(scores.get("never")).toMatchObject({
      scores: null,
      rfmGroup: "prospects",
      lifecycle: ["never-purchased"],
    });
  });

  it("follows the shop's own thresholds", () => {
    const aggregate = {
      orders: 3,
      spentCents: 100n,
      discountOrders: 1,
      firstOrderAt: daysBefore(40),
      lastOrderAt: daysBefore(40),
    };
    const scores = { r: 1, f: 1, m: 1, recencyDays: 40, spendBelowShare: 0.5 };
    expect(lifecycleSegmentsFor(aggregate, scores, settings, asOf)).toEqual(["repeat"]);
    expect(
      lifecycleSegmentsFor(
        aggregate,
        scores,
        { newBuyerDays: 45, lapsedDays: 39, vipPercentile: 0.5, discountSeekerShare: 0.3 },
        asOf,
      ),
    ).toEqual(["repeat", "new-buyers", "vip", "lapsed-90", "discount-seekers"]);
  });
});

import { describe, expect, it } from "vitest";
import { detectAddOns } from "~/domain/upsell/add-ons";
import { BasketLog, type Basket } from "~/domain/upsell/basket-log";
import { catalogOf, type Catalog } from "~/domain/upsell/co-occurrence";
import {
  DEFAULT_RECOMMENDER_OPTIONS,
  recommend as recommendFromLog,
  type RecommenderOptions,
} from "~/domain/upsell/recommender";

const NOW = new Date("2026-11-23T00:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const basket = (productIds: string[], age = 1): Basket => ({
  processedAt: daysAgo(age),
  productIds,
});
const options = { ...DEFAULT_RECOMMENDER_OPTIONS, now: NOW };
const recommend = (baskets: Basket[], catalog: Catalog, with_: RecommenderOptions) =>
  recommendFromLog(BasketLog.of(baskets), catalog, with_);
const addOnsIn = (baskets: Basket[]) => detectAddOns(BasketLog.of(baskets));
const product = (id: string, productType = "", collections = "") => ({
  id,
  productType,
  collections,
});

const listOf = (picks: ReturnType<typeof recommend>, productId: string) =>
  picks
    .filter((pick) => pick.productId === productId)
    .map((pick) => `${pick.recommendedId}:${pick.source}`);

describe("the shipped recommender", () => {
  it("lists products bought together first, then fills from the type, then best sellers", () => {
    // A and F are hats like B; C sells with A; B and F only ever alone; E is a best seller of
    // no type.
    const catalog = catalogOf(
      [
        product("A", "Hats"),
        product("B", "Hats"),
        product("C", "Scarves"),
        product("E"),
        product("F", "Hats"),
      ],
      new Set(),
    );
    const picks = recommend(
      [
        basket(["A", "C"]),
        basket(["A", "C"]),
        ...Array.from({ length: 3 }, () => basket(["B"])),
        basket(["F"]),
        ...Array.from({ length: 4 }, () => basket(["E"])),
      ],
      catalog,
      options,
    );
    expect(listOf(picks, "A")).toEqual([
      "C:bought_together",
      "B:same_group",
      "F:same_group",
      "E:best_seller",
    ]);
    const first = picks.find((pick) => pick.productId === "A")!;
    expect(first).toMatchObject({ rank: 1, support: 2 });
    // A product nobody bought gets its type's best sellers, then the store's.
    expect(listOf(picks, "F")[0]).toBe("B:same_group");
  });

  it("needs the minimum support before calling a pick bought together", () => {
    const catalog = catalogOf([product("A"), product("B")], new Set());
    expect(listOf(recommend([basket(["A", "B"])], catalog, options), "A")).toEqual([
      "B:bought_together",
    ]);
    const picks = recommend([basket(["A", "B"])], catalog, { ...options, minSupport: 2 });
    expect(listOf(picks, "A")).toEqual(["B:best_seller"]);
  });

  it("weighs recent orders more: this season's pairing outranks an older, larger one", () => {
    const catalog = catalogOf([product("A"), product("OLD"), product("NEW")], new Set());
    const baskets = [
      ...Array.from({ length: 4 }, () => basket(["A", "OLD"], 720)),
      ...Array.from({ length: 3 }, () => basket(["A", "NEW"], 5)),
    ];
    expect(listOf(recommend(baskets, catalog, options), "A")).toEqual([
      "NEW:bought_together",
      "OLD:bought_together",
    ]);
    expect(listOf(recommend(baskets, catalog, { ...options, halfLifeDays: 1e9 }), "A")).toEqual([
      "OLD:bought_together",
      "NEW:bought_together",
    ]);
  });

  it("keeps large orders, weighted down, instead of dropping them", () => {
    const ids = Array.from({ length: 40 }, (_, index) => `P${String(index).padStart(2, "0")}`);
    const catalog = catalogOf(
      ids.map((id) => product(id)),
      new Set(),
    );
    const picks = recommend(
      [basket(ids), basket(ids), basket(ids), basket(["P00", "P39"])],
      catalog,
      options,
    );
    // P39 is with P00 in every order: first, though the bulk orders put 38 others level with it
    // in support, because the small order weighs a full order and the bulk ones 29/39 each.
    const p00 = picks.filter((pick) => pick.productId === "P00");
    expect(p00[0]).toMatchObject({ recommendedId: "P39", support: 4, source: "bought_together" });
    expect(p00).toHaveLength(DEFAULT_RECOMMENDER_OPTIONS.perProduct);
    expect(p00.every((pick) => pick.source === "bought_together" && pick.support >= 3)).toBe(true);
  });

  it("never counts or recommends an excluded product, and lists only the catalogue", () => {
    const catalog = catalogOf([product("A"), product("B"), product("GIFT")], new Set(["GIFT"]));
    const picks = recommend(
      [basket(["A", "GIFT", "B"]), basket(["A", "GIFT", "B"]), basket(["GIFT", "ARCHIVED"])],
      catalog,
      options,
    );
    expect(picks.some((pick) => pick.recommendedId === "GIFT")).toBe(false);
    expect(
      picks.some((pick) => pick.productId === "ARCHIVED" || pick.recommendedId === "ARCHIVED"),
    ).toBe(false);
    expect(listOf(picks, "A")).toEqual(["B:bought_together"]);
  });

  it("groups products by type and by each collection", () => {
    const catalog = catalogOf(
      [product("A", "Hats", "gid://shopify/Collection/1,gid://shopify/Collection/2")],
      new Set(),
    );
    expect(catalog.get("A")).toEqual({
      groups: [
        "type:Hats",
        "collection:gid://shopify/Collection/1",
        "collection:gid://shopify/Collection/2",
      ],
      recommendable: true,
    });
  });
});

describe("detecting add-ons", () => {
  it("flags a product in a large share of orders that is almost never bought alone", () => {
    // 100 orders: PROTECT rides along in 40 of them, never alone; HIT is in 30, alone in 10.
    const baskets = [
      ...Array.from({ length: 40 }, (_, index) => basket([`P${index % 7}`, "PROTECT"])),
      ...Array.from({ length: 20 }, (_, index) => basket([`P${index % 7}`, "HIT"])),
      ...Array.from({ length: 10 }, () => basket(["HIT"])),
      ...Array.from({ length: 30 }, (_, index) => basket([`P${index % 7}`])),
    ];
    expect(addOnsIn(baskets)).toEqual([
      { productId: "PROTECT", orders: 40, orderShare: 0.4, aloneShare: 0 },
    ]);
  });

  it("says nothing from too few orders", () => {
    expect(addOnsIn(Array.from({ length: 10 }, () => basket(["A", "FEE"])))).toEqual([]);
  });
});

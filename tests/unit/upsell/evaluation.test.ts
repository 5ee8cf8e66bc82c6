// The offline evaluation on a store small enough to work out by hand: five products (A and B are
// hats, C and D scarves, E has no type), a product the merchant excluded (X), seven orders before
// the cutoff and five after.
import { describe, expect, it } from "vitest";
import { BasketLog, type Basket } from "~/domain/upsell/basket-log";
import type { Catalog } from "~/domain/upsell/co-occurrence";
import {
  evaluateRecommenders,
  evaluationTable,
  qualityMeasurementDue,
} from "~/domain/upsell/evaluation";

const CUTOFF = new Date("2026-10-01T00:00:00Z");
const before = (...productIds: string[]): Basket => ({
  processedAt: new Date("2026-09-01T00:00:00Z"),
  productIds,
});
const after = (...productIds: string[]): Basket => ({
  processedAt: new Date("2026-10-15T00:00:00Z"),
  productIds,
});

const catalog: Catalog = new Map([
  ["A", { groups: ["type:Hats"], recommendable: true }],
  ["B", { groups: ["type:Hats"], recommendable: true }],
  ["C", { groups: ["type:Scarves"], recommendable: true }],
  ["D", { groups: ["type:Scarves"], recommendable: true }],
  ["E", { groups: [], recommendable: true }],
  ["X", { groups: [], recommendable: false }],
]);

// Orders before: A 4 (X in one of them does not count), C 3, B 2, D 2, E 1. Together: A+B 2,
// C+D 2, A+C 1. Best sellers: A, C, B, D (a tie with B, broken by id), E.
const training = [
  before("A", "B"),
  before("A", "B"),
  before("A", "C"),
  before("C", "D"),
  before("C", "D"),
  before("E"),
  before("A", "X"),
];
// Orders after: A+B+D, C+A, B+E give 7 (order, product) pairs; D+X and E alone have no other
// recommendable product to hit.
const testing = [
  after("A", "B", "D"),
  after("C", "A"),
  after("B", "E"),
  after("D", "X"),
  after("E"),
];

const evaluation = evaluateRecommenders(BasketLog.of([...training, ...testing]), catalog, CUTOFF);
const scores = (method: string) => {
  const found = evaluation.methods.find((entry) => entry.method === method)!;
  return {
    hits: found.hits.map((hit) => hit.share),
    coverage: found.coverage,
    productsCovered: found.productsCovered,
  };
};

describe("the offline evaluation, worked out by hand", () => {
  it("splits the orders at the cutoff and counts the pairs tested", () => {
    expect(evaluation).toMatchObject({
      trainOrders: 7,
      testOrders: 5,
      pairs: 7,
      productsSold: 5,
    });
  });

  it("scores best sellers: every product gets A, C, B, D, E without itself", () => {
    // A→[C,B,…] hits B 2nd; B→A 1st; D→A 1st; C→A 1st; A→C 1st; B→[A,C,D,E] hits E 4th;
    // E→[A,C,B,…] hits B 3rd.
    expect(scores("popularity")).toEqual({
      hits: [4 / 7, 6 / 7, 7 / 7],
      coverage: 1,
      productsCovered: 1,
    });
  });

  it("scores plain co-occurrence counts: E was never bought with anything, so it has no list", () => {
    // A→[B,C]: B 1st, C 2nd; B→[A]: A 1st, E missed; D→[C] misses; C→[D,A]: A 2nd; E: no list.
    expect(scores("co_occurrence")).toEqual({
      hits: [2 / 7, 4 / 7, 4 / 7],
      coverage: 6 / 7,
      productsCovered: 4 / 5,
    });
  });

  it("scores item-kNN: cosine keeps the same order here (A→B 0.71 over A→C 0.29)", () => {
    expect(scores("item_knn")).toEqual(scores("co_occurrence"));
  });

  it("scores the shipped recommender: bought together first, then best sellers fill the list", () => {
    // A→[B,C,D,E], B→[A,C,D,E], C→[D,A,B,E], D→[C,A,B,E], E→[A,C,B,D]: B hit 1st for A, A 1st
    // for B; A 2nd for D and C; C 2nd for A; E 4th for B; B 3rd for E.
    expect(scores("shipped")).toEqual({
      hits: [2 / 7, 6 / 7, 7 / 7],
      coverage: 1,
      productsCovered: 1,
    });
  });

  it("prints the table the command line shows", () => {
    expect(evaluationTable(evaluation)).toEqual([
      "method                    hit@1   hit@3    hit@5  coverage  products covered",
      "Persegment (shipped)     28.6 %  85.7 %  100.0 %   100.0 %           100.0 %",
      "Best sellers             57.1 %  85.7 %  100.0 %   100.0 %           100.0 %",
      "Bought together (count)  28.6 %  57.1 %   57.1 %    85.7 %            80.0 %",
      "Item-kNN (cosine)        28.6 %  57.1 %   57.1 %    85.7 %            80.0 %",
    ]);
  });
});

// Four orders of A with the set B+C and three of A with D, before the cutoff; after it, A with
// D and A with B. Counting puts both halves of the set first for A (B 4, C 4, D 3); the shipped
// recommender counts an order B already hits at half weight when choosing the next pick, so D
// (3) comes before C (4 halved to 2, plus the same popularity prior).
describe("the offline evaluation when a product is bought with a set and with something else", () => {
  const store: Catalog = new Map(
    ["A", "B", "C", "D"].map((id) => [id, { groups: [], recommendable: true }]),
  );
  const result = evaluateRecommenders(
    BasketLog.of([
      ...Array.from({ length: 4 }, () => before("A", "B", "C")),
      ...Array.from({ length: 3 }, () => before("A", "D")),
      after("A", "D"),
      after("A", "B"),
    ]),
    store,
    CUTOFF,
    { ks: [1, 2] },
  );
  const hits = (method: string) =>
    result.methods.find((entry) => entry.method === method)!.hits.map((hit) => hit.share);

  it("hits D for A within two picks only with the shipped recommender", () => {
    // A→[B,D,…]: D 2nd in A+D, B 1st in A+B; D→[A,…] and B→[A,…] hit 1st.
    expect(hits("shipped")).toEqual([3 / 4, 4 / 4]);
    // A→[B,C,D]: D 3rd; the rest as above.
    expect(hits("co_occurrence")).toEqual([3 / 4, 3 / 4]);
    // Cosine also puts C (4 / √(4·4) = 1) before A (4 / √(4·7) ≈ 0.76) for B: A 2nd in A+B.
    expect(hits("item_knn")).toEqual([2 / 4, 3 / 4]);
    // Best sellers A, B, C, D: A→[B,C] misses D.
    expect(hits("popularity")).toEqual([3 / 4, 3 / 4]);
  });
});

describe("when the storefront page's measurement is taken again", () => {
  const at = (iso: string) => new Date(iso);
  const measured = { computedAt: at("2026-12-01T10:00:00Z"), changedAt: null };

  it("is due when never taken, a day old, or taken before a merchant's change", () => {
    expect(qualityMeasurementDue(null, at("2026-12-01T10:00:00Z"))).toBe(true);
    expect(qualityMeasurementDue(measured, at("2026-12-02T09:59:59Z"))).toBe(false);
    expect(qualityMeasurementDue(measured, at("2026-12-02T10:00:00Z"))).toBe(true);
    const changed = { ...measured, changedAt: at("2026-12-01T10:05:00Z") };
    expect(qualityMeasurementDue(changed, at("2026-12-01T10:06:00Z"))).toBe(true);
  });
});

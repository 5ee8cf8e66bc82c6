/**
 * Offline evaluation of upsell lists (issue 21): train on the orders before a cutoff, test on the
 * orders after it. For each test order and each product x in it, x's list "hits at k" when any
 * other product of that order is in its top k. Coverage: the share of those (order, x) pairs where
 * x has a list at all; products covered: the share of products sold before the cutoff with a list.
 * Every method sees the same catalogue: only recommendable products are counted, recommended and
 * tested (a hit on shipping protection would be no recommendation).
 */
import { coOccurrenceCountLists, itemKnnLists, popularityLists } from "./baselines";
import { basketProducts, type Basket, type Catalog, type Lists } from "./co-occurrence";
import {
  DEFAULT_RECOMMENDER_OPTIONS,
  picksAsLists,
  recommend,
  type RecommenderOptions,
} from "./recommender";

export const EVALUATED_METHODS = [
  { id: "shipped", label: "Persegment (shipped)" },
  { id: "popularity", label: "Best sellers" },
  { id: "co_occurrence", label: "Bought together (count)" },
  { id: "item_knn", label: "Item-kNN (cosine)" },
] as const;
export type MethodId = (typeof EVALUATED_METHODS)[number]["id"];

export interface MethodScore {
  method: MethodId;
  label: string;
  /** Share of (order, product) pairs hit within the top k, for each k asked. */
  hits: { k: number; share: number }[];
  coverage: number;
  productsCovered: number;
}

export interface Evaluation {
  cutoff: Date;
  trainOrders: number;
  testOrders: number;
  /** (order, product) pairs tested: products of test orders with another recommendable product. */
  pairs: number;
  productsSold: number;
  methods: MethodScore[];
}

export const EVALUATION_KS = [1, 3, 5];

export function evaluateRecommenders(
  baskets: readonly Basket[],
  catalog: Catalog,
  cutoff: Date,
  {
    ks = EVALUATION_KS,
    options = DEFAULT_RECOMMENDER_OPTIONS,
  }: { ks?: number[]; options?: Omit<RecommenderOptions, "now"> } = {},
): Evaluation {
  const train = baskets.filter((basket) => basket.processedAt < cutoff);
  const test = baskets.filter((basket) => basket.processedAt >= cutoff);
  const limit = Math.max(...ks);
  const lists: Record<MethodId, Lists> = {
    shipped: picksAsLists(
      recommend(train, catalog, { ...options, perProduct: limit, now: cutoff }),
    ),
    popularity: popularityLists(train, catalog, limit),
    co_occurrence: coOccurrenceCountLists(train, catalog, limit),
    item_knn: itemKnnLists(train, catalog, limit),
  };
  const sold = new Set(train.flatMap((basket) => basketProducts(basket, catalog)));
  const testBaskets = test
    .map((basket) => basketProducts(basket, catalog))
    .filter((products) => products.length >= 2);
  const pairs = testBaskets.reduce((sum, products) => sum + products.length, 0);
  return {
    cutoff,
    trainOrders: train.length,
    testOrders: test.length,
    pairs,
    productsSold: sold.size,
    methods: EVALUATED_METHODS.map(({ id, label }) => ({
      method: id,
      label,
      ...score(lists[id], testBaskets, ks, pairs),
      productsCovered: share(
        [...sold].filter((productId) => lists[id].get(productId)?.length).length,
        sold.size,
      ),
    })),
  };
}

function score(lists: Lists, testBaskets: string[][], ks: number[], pairs: number) {
  const hits = ks.map(() => 0);
  let covered = 0;
  for (const products of testBaskets)
    for (const productId of products) {
      const list = lists.get(productId) ?? [];
      if (list.length) covered += 1;
      const first = list.findIndex((id) => id !== productId && products.includes(id));
      ks.forEach((k, index) => {
        if (first >= 0 && first < k) hits[index] += 1;
      });
    }
  return {
    hits: ks.map((k, index) => ({ k, share: share(hits[index], pairs) })),
    coverage: share(covered, pairs),
  };
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** The evaluation as a plain-text table: a line per method, columns aligned. */
export function evaluationTable(evaluation: Evaluation): string[] {
  const ks = evaluation.methods[0]?.hits.map((hit) => hit.k) ?? [];
  const rows = [
    ["method", ...ks.map((k) => `hit@${k}`), "coverage", "products covered"],
    ...evaluation.methods.map((method) => [
      method.label,
      ...method.hits.map((hit) => percent(hit.share)),
      percent(method.coverage),
      percent(method.productsCovered),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]),
      )
      .join("  "),
  );
}

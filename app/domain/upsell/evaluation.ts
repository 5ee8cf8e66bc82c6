/**
 * Offline evaluation of upsell lists (issue 21): train on the orders before a cutoff, test on the
 * orders after it. For each test order and each product x in it, x's list "hits at k" when any
 * other product of that order is in its top k. Coverage: the share of those (order, x) pairs where
 * x has a list at all; products covered: the share of products sold before the cutoff with a list.
 * Every method sees the same catalogue: only recommendable products are counted, recommended and
 * tested (a hit on shipping protection would be no recommendation).
 */
import type { BasketLog } from "./basket-log";
import { coOccurrenceCountLists, itemKnnLists, popularityLists } from "./baselines";
import { countProducts, type Catalog } from "./co-occurrence";
import { DEFAULT_RECOMMENDER_OPTIONS, recommend, type RecommenderOptions } from "./recommender";

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
  log: BasketLog,
  catalog: Catalog,
  cutoff: Date,
  {
    ks = EVALUATION_KS,
    options = DEFAULT_RECOMMENDER_OPTIONS,
  }: { ks?: number[]; options?: Omit<RecommenderOptions, "now"> } = {},
): Evaluation {
  const train = log.filter((time) => time < cutoff.getTime());
  const test = log.filter((time) => time >= cutoff.getTime());
  const limit = Math.max(...ks);
  const counts = countProducts(train, catalog);
  const shipped = new Map<number, number[]>();
  for (const pick of recommend(train, catalog, { ...options, perProduct: limit, now: cutoff })) {
    const product = train.intern(pick.productId);
    const list = shipped.get(product);
    if (list) list.push(train.intern(pick.recommendedId));
    else shipped.set(product, [train.intern(pick.recommendedId)]);
  }
  const lists: Record<MethodId, Map<number, number[]>> = {
    shipped,
    popularity: popularityLists(counts, limit),
    co_occurrence: coOccurrenceCountLists(counts, limit),
    item_knn: itemKnnLists(counts, limit),
  };
  const sold: number[] = [];
  counts.orders.forEach((orders, product) => orders > 0 && sold.push(product));
  const testBaskets: number[][] = [];
  for (let b = 0; b < test.size; b++) {
    const products = [...test.basket(b)].filter((product) => counts.recommendable[product]);
    if (products.length >= 2) testBaskets.push(products);
  }
  const pairs = testBaskets.reduce((sum, products) => sum + products.length, 0);
  return {
    cutoff,
    trainOrders: train.size,
    testOrders: test.size,
    pairs,
    productsSold: sold.length,
    methods: EVALUATED_METHODS.map(({ id, label }) => ({
      method: id,
      label,
      ...score(lists[id], testBaskets, ks, pairs),
      productsCovered: share(
        sold.filter((product) => lists[id].get(product)?.length).length,
        sold.length,
      ),
    })),
  };
}

function score(
  lists: ReadonlyMap<number, number[]>,
  testBaskets: number[][],
  ks: number[],
  pairs: number,
) {
  const hits = ks.map(() => 0);
  let covered = 0;
  for (const products of testBaskets)
    for (const product of products) {
      const list = lists.get(product) ?? [];
      if (list.length) covered += 1;
      const first = list.findIndex((other) => other !== product && products.includes(other));
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

/** The admin's measurement tests on the last 90 days of orders. */
export const QUALITY_TEST_DAYS = 90;
const QUALITY_MAX_AGE_MS = 86_400_000;

/**
 * Whether the admin's measurement is to be taken (again): none yet, a day old (a day's orders
 * move it little), or measured before a merchant's choice changed the lists.
 */
export function qualityMeasurementDue(
  stored: { computedAt: Date; changedAt: Date | null } | null,
  now: Date,
) {
  return (
    stored === null ||
    stored.changedAt !== null ||
    now.getTime() - stored.computedAt.getTime() >= QUALITY_MAX_AGE_MS
  );
}

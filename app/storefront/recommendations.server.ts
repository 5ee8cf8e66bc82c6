import { concurrentReader } from "~/db.server";
import { detectAddOns, upsellExclusions, type DetectedAddOn } from "~/domain/upsell/add-ons";
import type { BasketLog } from "~/domain/upsell/basket-log";
import { catalogOf } from "~/domain/upsell/co-occurrence";
import {
  evaluateRecommenders,
  QUALITY_TEST_DAYS,
  qualityMeasurementDue,
} from "~/domain/upsell/evaluation";
import {
  DEFAULT_RECOMMENDER_OPTIONS,
  recommendInChunks,
  type RecommendationPick,
  type RecommenderOptions,
} from "~/domain/upsell/recommender";
import { nextTurn } from "~/models/bulk-sql.server";
import {
  activeProducts,
  giftCardProductIds,
  loadBasketLog,
  replaceRecommendations,
} from "~/models/recommendations.server";
import { loadEvaluation, loadProductChoices, saveEvaluation } from "~/models/upsell-choices.server";

export interface RecommendationRun {
  /** Counted orders with a product on them (orders of custom items only say nothing). */
  orders: number;
  products: number;
  pairs: number;
  /** Picks that fill short lists (same type or collection, best sellers). */
  fills: number;
  addOns: DetectedAddOn[];
}

/**
 * What recommendations are computed from: the baskets, and the active products minus gift cards,
 * those the merchant excluded and the add-ons detected in `detectFrom` (unless the merchant kept
 * them).
 */
async function catalogFor(
  shop: string,
  detectFrom: (baskets: BasketLog) => BasketLog,
  through: Date,
) {
  const [baskets, products, choices, giftCards] = await Promise.all([
    loadBasketLog(concurrentReader, shop, through),
    activeProducts(shop),
    loadProductChoices(shop),
    giftCardProductIds(shop),
  ]);
  const active = new Set(products.map((product) => product.id));
  const { addOns, excluded } = upsellExclusions(
    detectAddOns(detectFrom(baskets)).filter((addOn) => active.has(addOn.productId)),
    choices,
    giftCards,
  );
  return { baskets, catalog: catalogOf(products, excluded), addOns };
}

/** Recomputes the shop's recommendations from the orders processed at or before `asOf`. */
export async function recomputeRecommendations(
  shop: string,
  asOf: Date,
  options: Partial<Omit<RecommenderOptions, "now">> = {},
): Promise<RecommendationRun> {
  const { baskets, catalog, addOns } = await catalogFor(shop, (all) => all, asOf);
  const picks: RecommendationPick[] = [];
  const chunks = recommendInChunks(baskets, catalog, {
    ...DEFAULT_RECOMMENDER_OPTIONS,
    ...options,
    now: asOf,
  });
  for (const chunk of chunks) {
    picks.push(...chunk);
    // A large shop's lists take seconds: requests waiting meanwhile are served in between.
    await nextTurn();
  }
  await replaceRecommendations(shop, picks);
  return {
    orders: baskets.size,
    products: new Set(picks.map((pick) => pick.productId)).size,
    pairs: picks.length,
    fills: picks.filter((pick) => pick.source !== "bought_together").length,
    addOns,
  };
}

/** A cutoff with no orders before or after it: nothing to train or test on. */
export class EvaluationRangeError extends Error {}

/**
 * The offline evaluation (domain/upsell/evaluation.ts) on the shop's orders: trained before
 * `cutoff`, tested on those after it up to `through`; add-ons are detected from the training
 * orders only, as a publish at the cutoff would have. `testable`: orders on both sides.
 */
async function evaluateOrders(
  shop: string,
  cutoff: Date,
  { ks, through = new Date() }: { ks?: number[]; through?: Date } = {},
) {
  const { baskets, catalog } = await catalogFor(
    shop,
    (all) => all.filter((time) => time < cutoff.getTime()),
    through,
  );
  const evaluation = evaluateRecommenders(baskets, catalog, cutoff, { ks });
  return { evaluation, baskets, testable: evaluation.trainOrders > 0 && evaluation.testOrders > 0 };
}

/** evaluateOrders, refusing a cutoff with no orders before or after it. */
export async function evaluateShop(
  shop: string,
  cutoff: Date,
  options: { ks?: number[]; through?: Date } = {},
) {
  const { evaluation, baskets, testable } = await evaluateOrders(shop, cutoff, options);
  if (!testable)
    throw new EvaluationRangeError(
      `${cutoff.toISOString()} leaves ${evaluation.trainOrders} orders before it and ${evaluation.testOrders} after it: choose a cutoff with orders on both sides`,
    );
  return { evaluation, baskets };
}

/**
 * The admin's measurement (the storefront.evaluate job), when due: the evaluation on the last 90
 * days and the add-ons detected in all orders, stored for the storefront page to show. Seconds
 * for a large catalogue, so never on a page's request.
 */
export async function measureRecommendationQuality(shop: string, now: Date) {
  if (!qualityMeasurementDue(await loadEvaluation(shop), now)) return { measured: false };
  const cutoff = new Date(now.getTime() - QUALITY_TEST_DAYS * 86_400_000);
  const { evaluation, baskets, testable } = await evaluateOrders(shop, cutoff, { through: now });
  // Too few orders to test on: still the add-ons, from every order there is.
  await saveEvaluation(shop, {
    evaluation: testable ? evaluation : null,
    addOns: detectAddOns(baskets),
    cutoff,
    computedAt: now,
  });
  return { measured: true, evaluated: testable };
}

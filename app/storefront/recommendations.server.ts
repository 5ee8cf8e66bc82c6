import {
  coPurchasePicks,
  DEFAULT_CO_PURCHASE_OPTIONS,
  type CoPurchaseOptions,
} from "~/domain/upsell/co-purchase";
import {
  activeProductIds,
  loadBaskets,
  replaceRecommendations,
} from "~/models/recommendations.server";

export interface RecommendationRun {
  orders: number;
  products: number;
  pairs: number;
}

/**
 * Recomputes the shop's co-purchase recommendations from its synced orders. Only active products
 * are counted or recommended: a draft or archived product cannot be linked from the storefront.
 */
export async function recomputeRecommendations(
  shop: string,
  now: Date,
  options: Partial<Omit<CoPurchaseOptions, "now" | "excluded">> = {},
): Promise<RecommendationRun> {
  const [baskets, active] = await Promise.all([loadBaskets(shop), activeProductIds(shop)]);
  const excluded = new Set(
    baskets.flatMap((basket) => basket.productIds).filter((id) => !active.has(id)),
  );
  const picks = coPurchasePicks(baskets, {
    ...DEFAULT_CO_PURCHASE_OPTIONS,
    ...options,
    now,
    excluded,
  });
  await replaceRecommendations(shop, picks);
  return {
    orders: baskets.length,
    products: new Set(picks.map((pick) => pick.productId)).size,
    pairs: picks.length,
  };
}

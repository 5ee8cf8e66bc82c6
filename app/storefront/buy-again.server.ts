import {
  repurchaseIntervals,
  type RepurchaseInterval,
} from "~/domain/buy-again/repurchase-intervals";
import { detectAddOns, upsellExclusions } from "~/domain/upsell/add-ons";
import { BasketLog } from "~/domain/upsell/basket-log";
import {
  loadOrderProducts,
  loadReplenishableProducts,
  replaceReplenishableProducts,
} from "~/models/buy-again.server";
import {
  activeProductIds,
  giftCardProductIds,
  productTitles,
} from "~/models/recommendations.server";
import { loadProductChoices } from "~/models/upsell-choices.server";

/**
 * The shop's replenishable products as of `asOf`, from its synced orders up to then: active
 * products only, never a gift card, a product the merchant excluded from recommendations, or a
 * detected add-on the merchant did not keep (the upsell lists' exclusions).
 */
async function replenishableProducts(shop: string, asOf: Date): Promise<RepurchaseInterval[]> {
  const [orders, active, choices, giftCards] = await Promise.all([
    loadOrderProducts(shop, asOf),
    activeProductIds(shop),
    loadProductChoices(shop),
    giftCardProductIds(shop),
  ]);
  const { excluded } = upsellExclusions(detectAddOns(BasketLog.of(orders)), choices, giftCards);
  return repurchaseIntervals(orders, asOf, excluded).filter((interval) =>
    active.has(interval.productId),
  );
}

/**
 * Computes the replenishable products from the orders up to `asOf` and stores them for the
 * publish and the admin (which never read every order themselves). Runs with the
 * recommendations' recompute.
 */
export async function recomputeReplenishableProducts(shop: string, asOf: Date) {
  const intervals = await replenishableProducts(shop, asOf);
  await replaceReplenishableProducts(shop, intervals, new Date());
  return intervals;
}

/** Rows of the admin's buy-again card; the rest are counted. */
export const BUY_AGAIN_CARD_ROWS = 25;

/**
 * What the admin's buy-again card lists: the replenishable products most bought again, with
 * their titles, and how many there are in all.
 */
export async function buyAgainOverview(shop: string) {
  const all = await loadReplenishableProducts(shop);
  const shown = [...all]
    .sort((a, b) => b.repurchases - a.repurchases || a.productId.localeCompare(b.productId))
    .slice(0, BUY_AGAIN_CARD_ROWS);
  const titles = await productTitles(
    shop,
    shown.map((interval) => interval.productId),
  );
  return {
    count: all.length,
    products: shown.map((interval) => ({
      ...interval,
      title: titles.get(interval.productId)?.title ?? interval.productId,
    })),
  };
}

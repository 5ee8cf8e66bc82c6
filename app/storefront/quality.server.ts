// The admin's "Recommendation quality" card: the shop's offline evaluation (the same numbers as
// `recommendations evaluate`) and the detected add-ons the merchant confirms or keeps. The page
// shows what the storefront.evaluate job stored; the route sends the job when it is due.
import { qualityMeasurementDue } from "~/domain/upsell/evaluation";
import { productTitles } from "~/models/recommendations.server";
import {
  loadEvaluation,
  loadProductChoices,
  markEvaluationChanged,
  saveProductChoice,
  type UpsellProductChoice,
} from "~/models/upsell-choices.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { recomputeAndPublish } from "./admin.server";

export async function qualityCard(shop: string, now: Date) {
  const [quality, choices, profile] = await Promise.all([
    loadEvaluation(shop),
    loadProductChoices(shop),
    shopProfile(shop),
  ]);
  const detected = quality?.addOns ?? [];
  const titles = await productTitles(shop, [
    ...new Set([...detected.map((addOn) => addOn.productId), ...choices.keys()]),
  ]);
  const title = (id: string) => titles.get(id)?.title ?? id;
  return {
    timeZone: profile.timeZone,
    /** Never measured, a day old, or measured before the merchant's last choice. */
    due: qualityMeasurementDue(quality, now),
    /** Measured before the merchant's last choice changed the lists. */
    changed: quality?.changedAt != null,
    /** Measured, with too few orders before or since the cutoff to test on. */
    tooFewOrders: quality !== null && quality.evaluation === null,
    evaluation: quality?.evaluation
      ? {
          ...quality.evaluation,
          cutoff: quality.evaluation.cutoff.toISOString(),
          computedAt: quality.computedAt.toISOString(),
        }
      : null,
    addOns: detected.map((addOn) => ({
      id: addOn.productId,
      title: title(addOn.productId),
      orderShare: addOn.orderShare,
      choice: choices.get(addOn.productId) ?? null,
    })),
    // Products the merchant excluded that detection no longer flags: still excluded, undoable.
    excluded: [...choices]
      .filter(([id, choice]) => choice === "exclude" && !detected.some((a) => a.productId === id))
      .map(([id]) => ({ id, title: title(id) })),
  };
}

export const UPSELL_CHOICES = ["exclude", "keep", "undo"] as const;

/**
 * The merchant's choice for a product in every list (confirming an add-on is excluding it), then
 * a recompute and republish; the stored evaluation is marked for measuring again with the choice
 * (the page's loader, revalidated after the action, sends the job).
 */
export async function chooseForUpsells(shop: string, productId: string, choice: string) {
  if (!(UPSELL_CHOICES as readonly string[]).includes(choice))
    return { saved: false as const, error: `Unknown choice "${choice}"` };
  if (!(await productTitles(shop, [productId])).has(productId))
    return { saved: false as const, error: `${productId} is not a product of your store` };
  await saveProductChoice(
    shop,
    productId,
    choice === "undo" ? null : (choice as UpsellProductChoice),
  );
  await markEvaluationChanged(shop, new Date());
  return { saved: true as const, ...(await recomputeAndPublish(shop)) };
}

/**
 * Keeps tags in step with memberships without anyone pressing a button: every few minutes, each
 * installed shop with tagging on is planned (database only) and written only if something changed,
 * so a quiet shop costs no API call.
 */
import { gatewayForShop } from "~/shops/access.server";
import { applyShopTags, planShopTags } from "./apply.server";

export { listShopsWithTagging as shopsWithTagging } from "~/models/tag-ledger.server";

/** Writes the shop's pending tag changes, if any; the report, or null when nothing was due. */
export async function writeTagsIfChanged(shop: string) {
  const { plan } = await planShopTags(shop);
  if (plan.changes.length === 0) return null;
  return applyShopTags(await gatewayForShop(shop), shop);
}

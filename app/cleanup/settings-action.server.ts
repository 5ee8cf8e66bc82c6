// The Settings page's "Remove everything Persegment wrote to your store" card: dry run, then run.
import { ShopifyApiError, ShopifyUserError } from "~/shopify/gateway.server";
import { gatewayForShop } from "~/shops/access.server";
import { cleanUpStore, type StoreCleanupReport } from "./store-cleanup.server";

export const CLEANUP_INTENTS = ["cleanup-preview", "cleanup-run"] as const;
export type CleanupIntent = (typeof CLEANUP_INTENTS)[number];

export const isCleanupIntent = (intent: string): intent is CleanupIntent =>
  (CLEANUP_INTENTS as readonly string[]).includes(intent);

export type CleanupActionResult =
  | { intent: CleanupIntent; report: StoreCleanupReport; error?: undefined }
  | { intent: CleanupIntent; report?: undefined; error: string };

export async function cleanupAction(
  shop: string,
  intent: CleanupIntent,
): Promise<CleanupActionResult> {
  try {
    const report = await cleanUpStore(await gatewayForShop(shop), shop, {
      dryRun: intent === "cleanup-preview",
    });
    return { intent, report };
  } catch (error) {
    // Shopify failed part-way: what was removed is recorded, so running it again finishes it.
    if (error instanceof ShopifyApiError || error instanceof ShopifyUserError)
      return {
        intent,
        error: `Shopify stopped the removal part-way (${error.message}). Run it again to finish.`,
      };
    throw error;
  }
}

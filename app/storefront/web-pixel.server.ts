// Connects the app's web pixel (extensions/persegment-pixel) to a shop, or brings its settings up
// to date: the pixel sends the bar counts to this app's collector, wherever the app runs now.
// Sent as a job after install (app/pipeline.server.ts); `npm run cli -- pixel <shop>` runs it by hand.
import {
  webPixelSettings,
  webPixelStep,
  type CurrentWebPixel,
} from "~/domain/storefront/web-pixel";
import { readEnv } from "~/env.server";
import { gatewayForShop } from "~/shops/access.server";
import { ShopifyApiError, type AdminGateway } from "~/shopify/gateway.server";
import { APP_WEB_PIXEL, WEB_PIXEL_CREATE, WEB_PIXEL_UPDATE } from "~/shopify/operations/web-pixel";

/** The shop's pixel of this app; none yet: Shopify answers NOT_FOUND (null taken the same way). */
async function currentWebPixel(gateway: AdminGateway): Promise<CurrentWebPixel | null> {
  try {
    return (await gateway.request<{ webPixel: CurrentWebPixel | null }>(APP_WEB_PIXEL)).webPixel;
  } catch (error) {
    const notFound =
      error instanceof ShopifyApiError &&
      (error.details.errors ?? []).some(
        (entry) => (entry as { extensions?: { code?: string } }).extensions?.code === "NOT_FOUND",
      );
    if (notFound) return null;
    throw error;
  }
}

export type WebPixelOutcome = { done: "created" | "updated" | "unchanged"; id: string };

export async function connectWebPixel(
  gateway: AdminGateway,
  appUrl: string,
): Promise<WebPixelOutcome> {
  const desired = webPixelSettings(appUrl);
  const step = webPixelStep(await currentWebPixel(gateway), desired);
  const settings = JSON.stringify(desired);
  if (step.kind === "none") return { done: "unchanged", id: step.id };
  if (step.kind === "create") {
    const { webPixel } = await gateway.mutate<{ webPixel: { id: string } }>(
      WEB_PIXEL_CREATE,
      { settings },
      "webPixelCreate",
    );
    return { done: "created", id: webPixel.id };
  }
  const { webPixel } = await gateway.mutate<{ webPixel: { id: string } }>(
    WEB_PIXEL_UPDATE,
    { id: step.id, settings },
    "webPixelUpdate",
  );
  return { done: "updated", id: webPixel.id };
}

/** The job's work: the shop's pixel pointed at this app's collector (SHOPIFY_APP_URL). */
export async function connectShopWebPixel(shop: string) {
  return connectWebPixel(await gatewayForShop(shop), readEnv().SHOPIFY_APP_URL);
}

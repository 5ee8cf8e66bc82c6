// The theme app extension's identity, shared by server code and the Storefront page's client code.

/** Theme app extension handle and its blocks' file names (blocks/top-bar.liquid, blocks/upsell.liquid, …). */
export const EXTENSION_HANDLE = "persegment-storefront";
export const TOP_BAR_EMBED = "top-bar";
export const UPSELL_BLOCK = "upsell";
export const BUY_AGAIN_BLOCK = "buy-again";

/** Theme editor deep link that opens App embeds with the top bar switched on. */
export function activateEmbedUrl(shop: string, apiKey: string) {
  return `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(apiKey)}/${TOP_BAR_EMBED}`;
}

/** Theme editor deep link that adds the upsell block to the product page's main section. */
export function addUpsellBlockUrl(shop: string, apiKey: string) {
  return `https://${shop}/admin/themes/current/editor?template=product&addAppBlockId=${encodeURIComponent(apiKey)}/${UPSELL_BLOCK}&target=mainSection`;
}

/** Theme editor deep link that adds the buy-again block to the home page, in a new Apps section. */
export function addBuyAgainBlockUrl(shop: string, apiKey: string) {
  return `https://${shop}/admin/themes/current/editor?template=index&addAppBlockId=${encodeURIComponent(apiKey)}/${BUY_AGAIN_BLOCK}&target=newAppsSection`;
}

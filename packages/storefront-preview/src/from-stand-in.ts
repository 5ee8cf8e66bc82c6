// The storefront data as the Shopify stand-in holds it after `publish`: the bars app-data
// metafield, every product's $app upsell list, the catalog they point into, and the app's web
// pixel with its settings once the app connected it. This is what the
// demo renders, so the preview shows what Shopify would serve, not what the app meant to write.
import { expandAppNamespace, type Store } from "@persegment/shopify-stand-in";
import type { PublishedStorefront } from "./render";

/** `apiKey`: the app's key the stand-in was started with (its `$app` namespaces use it). */
export function storefrontFromStandIn(store: Store, apiKey: string): PublishedStorefront {
  const upsellNamespace = expandAppNamespace(apiKey, "$app:persegment");
  const metafields = [...store.metafields.values()];
  const bars = metafields.find(
    (metafield) =>
      metafield.ownerGid.startsWith("gid://shopify/AppInstallation/") &&
      metafield.namespace === "persegment" &&
      metafield.key === "bars",
  );
  const upsells = Object.fromEntries(
    metafields
      .filter((metafield) => metafield.namespace === upsellNamespace && metafield.key === "upsells")
      .map((metafield) => [metafield.ownerGid, JSON.parse(metafield.value) as string[]]),
  );
  return {
    shopName: store.shop.name,
    shopDomain: store.shop.domain,
    webPixel: store.webPixel ? { settings: { ...store.webPixel.settings } } : null,
    bars: bars ? JSON.parse(bars.value) : null,
    upsells,
    products: [...store.products.values()].map((product) => ({
      id: `gid://shopify/Product/${product.id}`,
      handle: product.handle,
      title: product.title,
      priceCents: product.variants.length
        ? Math.min(...product.variants.map((variant) => variant.priceCents))
        : 0,
      available: product.status === "ACTIVE",
      imageUrl: `/images/${product.id}.svg`,
    })),
  };
}

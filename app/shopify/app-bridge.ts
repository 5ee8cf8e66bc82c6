// App Bridge lives in the Shopify admin. Outside it (a plain browser tab, the demo's admin host,
// an admin that does not offer an API yet) `window.shopify` or parts of it are missing, and
// useAppBridge() throws while rendering. Pages ask here instead and say what they cannot show.
import type { ShopifyGlobal } from "@shopify/app-bridge-types";

/** The App Bridge global as far as it exists; null on the server and outside the admin. */
function bridge(): Partial<ShopifyGlobal> | null {
  if (typeof window === "undefined") return null;
  return (window as { shopify?: Partial<ShopifyGlobal> }).shopify ?? null;
}

/** `shopify.app.extensions` (theme embed and block status), or null when it is not available. */
export function appExtensionsApi() {
  const app = bridge()?.app;
  return typeof app?.extensions === "function" ? () => app.extensions() : null;
}

/** `shopify.resourcePicker`, or null when it is not available. */
export function resourcePickerApi() {
  const picker = bridge()?.resourcePicker;
  return typeof picker === "function" ? picker : null;
}

import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { ADMIN_API_VERSION } from "./api-version";

/**
 * The Shopify stand-in the environment points the Admin API at (SHOPIFY_ADMIN_API_ORIGIN), for
 * development and tests. Refused in production, wherever it is read (the app at start, the CLI,
 * jobs): it would send shops' offline tokens to whatever server it names.
 */
export function configuredStandIn(
  source: { SHOPIFY_ADMIN_API_ORIGIN?: string; NODE_ENV?: string } = process.env,
) {
  const origin = source.SHOPIFY_ADMIN_API_ORIGIN || undefined;
  if (origin && source.NODE_ENV === "production")
    throw new Error(
      "SHOPIFY_ADMIN_API_ORIGIN points the app at a Shopify stand-in and is refused in production.",
    );
  return origin;
}

/** Where a shop's Admin API lives: https://<shop> on Shopify, or the local stand-in. */
export function adminOrigin(shop: string, standInOrigin = configuredStandIn()) {
  return standInOrigin ? standInOrigin.replace(/\/$/, "") : `https://${shop}`;
}

export function adminGraphqlUrl(shop: string, standInOrigin = configuredStandIn()) {
  return `${adminOrigin(shop, standInOrigin)}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
}

/**
 * The Shopify library always calls https://<shop>/… (token exchange, admin.graphql). With a
 * stand-in configured, send those calls to it instead; the shop is kept in a header so the
 * stand-in can check it serves that shop.
 */
export function routeShopifyLibraryToStandIn(standInOrigin: string) {
  const base = standInOrigin.replace(/\/$/, "");
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(String(input));
    if (!url.hostname.endsWith(".myshopify.com")) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set("X-Shopify-Shop-Domain", url.hostname);
    return fetch(`${base}${url.pathname}${url.search}`, { ...init, headers });
  });
}

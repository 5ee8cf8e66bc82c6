import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { ADMIN_API_VERSION } from "./api-version";

/**
 * Where a shop's Admin API lives: https://<shop> on Shopify, or the local stand-in when
 * SHOPIFY_ADMIN_API_ORIGIN is set (development and tests only; env.server.ts refuses it in production).
 */
export function adminOrigin(shop: string, standInOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN) {
  return standInOrigin ? standInOrigin.replace(/\/$/, "") : `https://${shop}`;
}

export function adminGraphqlUrl(
  shop: string,
  standInOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN,
) {
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

/**
 * A shop's access to the Admin API: the offline token the app stores for it (from install, or
 * registered by an operator), and the gateway that token opens.
 */
import { recordInstall } from "~/models/shop.server";
import { findOfflineSession, saveOfflineToken } from "~/models/offline-sessions.server";
import {
  type AdminGateway,
  createAdminGateway,
  type GatewayOptions,
  ShopifyApiError,
} from "~/shopify/gateway.server";
import { APP_ACCESS_SCOPES } from "~/shopify/operations/sync-queries";

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Registers a shop by its Admin API token (operators, the stand-in): the token is checked against
 * the Admin API first, so a wrong token or shop stores nothing.
 */
export async function addShopWithToken(shop: string, accessToken: string, origin?: string) {
  if (!SHOP_DOMAIN.test(shop))
    throw new Error(`"${shop}" is not a shop domain like example.myshopify.com`);
  if (!accessToken.trim()) throw new Error("the access token is empty");
  const gateway = createAdminGateway({ shop, accessToken, origin, maxAttempts: 2 });
  const { currentAppInstallation } = await gateway
    .request<{ currentAppInstallation: { accessScopes: { handle: string }[] } }>(APP_ACCESS_SCOPES)
    .catch((error: unknown) => {
      if (error instanceof ShopifyApiError && error.details.status === 401)
        throw new Error(`${shop} refused the access token (HTTP 401); nothing was stored`);
      throw error;
    });
  const scopes = currentAppInstallation.accessScopes.map((scope) => scope.handle).join(",");
  await recordInstall(shop, scopes);
  await saveOfflineToken(shop, accessToken, scopes);
  return { scopes };
}

/** The gateway for an installed shop, authenticated with its stored offline session. */
export async function gatewayForShop(
  shop: string,
  options: Omit<GatewayOptions, "shop" | "accessToken"> = {},
): Promise<AdminGateway> {
  const session = await findOfflineSession(shop);
  if (!session)
    throw new Error(`No offline session for ${shop}: install the app (or run "shops add") first.`);
  return createAdminGateway({ shop, accessToken: session.accessToken, ...options });
}

// A shop on the Shopify stand-in, installed with exactly the scopes the app requests and fully
// synced into the database the real way (bulk export), for tests of what the app then computes
// and publishes.
import { recordInstall } from "~/models/shop.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { runFullSync } from "~/sync/full-sync.server";
import { startStandIn, type Store } from "@persegment/shopify-stand-in";
import { changesIgnored } from "./pipeline";
import { requestedScopes } from "./shopify-requests";

/** The stand-in's `$app` namespaces use this key. */
export const STAND_IN_API_KEY = "testApiKey";

export async function startSyncedStandIn(shop: string, store: Store, accessToken = "test-token") {
  const standIn = await startStandIn({
    shop,
    accessToken,
    apiSecret: "testApiSecretKey",
    store,
    apiKey: STAND_IN_API_KEY,
    // Exactly what the app requests: every call it makes must be allowed by these.
    scopes: requestedScopes(),
  });
  const gateway = createAdminGateway({
    shop,
    accessToken,
    origin: standIn.origin,
    baseDelayMs: 20,
  });
  await recordInstall(shop, requestedScopes().join(","));
  await runFullSync(gateway, changesIgnored, { pollIntervalMs: 20 });
  return { standIn, gateway };
}

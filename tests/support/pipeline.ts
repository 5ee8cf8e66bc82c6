// Tests drive the pipeline's jobs themselves (no background work runs under tests).
import { expect } from "vitest";
import { shopsWithClaimableDeliveries } from "~/models/webhook-inbox.server";
import { pipeline, WEBHOOK_HANDLERS } from "~/pipeline.server";
import { action as webhookRoute } from "~/routes/webhooks";
import type { StoreChange } from "@persegment/shopify-stand-in";
import { responseOf } from "./responses";
import { webhookRequest } from "./shopify-requests";
import type { CustomersChanged, SyncEffects } from "~/sync/effects";
import { processShopInbox } from "~/webhooks/inbox-worker.server";

/**
 * Processes every shop's stored deliveries, as their inbox jobs would, until none is due; with
 * `effects`, the handlers report to those instead of the pipeline's (to observe what they report).
 */
export async function processInboxes(effects?: SyncEffects) {
  for (;;) {
    const shops = await shopsWithClaimableDeliveries();
    if (shops.length === 0) return;
    for (const shop of shops)
      if (effects) await processShopInbox(shop, { handlers: WEBHOOK_HANDLERS, effects });
      else await pipeline().processInbox(shop);
  }
}

/** What the app does when sync reports changed customers (segments follow). */
export const customersChanged: CustomersChanged = (shop, ids) =>
  pipeline().effects.customersChanged(shop, ids);

/** For tests of sync alone: changed customers are not followed up. */
export const changesIgnored: CustomersChanged = async () => {};

/**
 * Delivers the stand-in's changes to the app's webhook route as Shopify would (each must be
 * acknowledged with 200), then processes the inboxes.
 */
export async function deliverThroughWebhookRoute(shop: string, changes: readonly StoreChange[]) {
  for (const change of changes) {
    const response = await responseOf(() =>
      webhookRoute({
        request: webhookRequest({ topic: change.topic, shop, payload: change.payload }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(200);
  }
  await processInboxes();
}

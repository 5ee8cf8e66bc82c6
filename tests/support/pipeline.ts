// Tests drive the pipeline's jobs themselves (no background work runs under tests).
import { shopsWithClaimableDeliveries } from "~/models/webhook-inbox.server";
import { pipeline, WEBHOOK_HANDLERS } from "~/pipeline.server";
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

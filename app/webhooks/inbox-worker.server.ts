import { randomUUID } from "node:crypto";
import { heldShops } from "~/models/shop.server";
import {
  claimDeliveries,
  forgetDelivery,
  markDeliveryDone,
  markDeliveryFailed,
  rereadDeliveries,
  type ClaimedDelivery,
} from "~/models/webhook-inbox.server";
import { TerminalWebhookError, type WebhookHandlers } from "./handler";

const MAX_ATTEMPTS = 8;
const BATCH_SIZE = 50;
const workerId = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;

/** What processing a shop's inbox needs: the handler of each topic and the pipeline's next steps. */
export interface InboxProcessing<Effects> {
  handlers: WebhookHandlers<Effects>;
  effects: Effects;
}

/**
 * `held`: whether the app holds the shop. A delivery of any other shop (never installed, or
 * redacted since) must not create its rows again, and its payload is not kept.
 */
async function processDelivery<Effects>(
  delivery: ClaimedDelivery,
  held: boolean,
  work: InboxProcessing<Effects>,
) {
  if (!held) return forgetDelivery(delivery.webhookId);
  const handler = work.handlers[delivery.topic];
  if (!handler) {
    // Stored but not (yet) acted on: kept as failed so it is visible rather than silently dropped.
    await markDeliveryFailed(delivery.webhookId, `no handler for topic ${delivery.topic}`, null);
    return;
  }
  try {
    await handler(
      {
        shop: delivery.shop,
        topic: delivery.topic,
        webhookId: delivery.webhookId,
        payload: JSON.parse(delivery.payload),
        triggeredAt: delivery.triggeredAt,
      },
      work.effects,
    );
    await markDeliveryDone(delivery.webhookId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const terminal = error instanceof TerminalWebhookError || delivery.attempts >= MAX_ATTEMPTS;
    const backoffMs = Math.min(60_000, 500 * 2 ** delivery.attempts);
    await markDeliveryFailed(delivery.webhookId, message, terminal ? null : backoffMs);
  }
}

let acknowledgementsInFlight = 0;
const MAX_WORKER_WAIT_MS = 250;

/**
 * Runs a webhook request's acknowledgement (authenticate + store). Shopify gives a delivery 5 s
 * and retries slow ones, so acknowledging comes first; processing waits, the inbox holds the rest.
 */
export async function acknowledging<T>(work: () => Promise<T>): Promise<T> {
  acknowledgementsInFlight += 1;
  try {
    return await work();
  } finally {
    acknowledgementsInFlight -= 1;
  }
}

/** Between deliveries, let pending acknowledgements run first (bounded, so processing never stalls). */
async function yieldToAcknowledgements() {
  const started = Date.now();
  do await new Promise((resolve) => setTimeout(resolve, acknowledgementsInFlight > 0 ? 2 : 0));
  while (acknowledgementsInFlight > 0 && Date.now() - started < MAX_WORKER_WAIT_MS);
}

/**
 * Processes the shop's claimable deliveries in event order until none is left; returns how many
 * were handled. The job system runs one of these per shop at a time.
 */
export async function processShopInbox<Effects>(
  shop: string,
  work: InboxProcessing<Effects>,
): Promise<number> {
  let handled = 0;
  for (;;) {
    let batch = await claimDeliveries(workerId, BATCH_SIZE, { shop });
    if (batch.length === 0) return handled;
    handled += batch.length;
    let held = (await heldShops([shop])).has(shop);
    while (batch.length > 0) {
      const [delivery, ...rest] = batch;
      await processDelivery(delivery, held, work);
      // Later deliveries of a shop redacted just now are not processed.
      if (delivery.topic === "shop/redact") held = false;
      // A customer's redaction deletes or scrubs the inbox's deliveries about them: the rest of
      // the batch is read again, so none of them brings the customer back.
      batch = delivery.topic === "customers/redact" ? await rereadDeliveries(rest) : rest;
      await yieldToAcknowledgements();
    }
  }
}

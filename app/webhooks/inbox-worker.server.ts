import { randomUUID } from "node:crypto";
import { heldShops } from "~/models/shop.server";
import {
  claimDeliveries,
  forgetDelivery,
  markDeliveriesDone,
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
  /**
   * Carries out, once per batch, what the batch's handlers reported (one recompute of every
   * customer they touched, not one per delivery); the batch's deliveries count as done only after
   * it, and are retried when it fails.
   */
  settle?: () => Promise<void>;
}

/** Fails a delivery for a retry with backoff, or for good after MAX_ATTEMPTS or when terminal. */
function failDelivery(delivery: ClaimedDelivery, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  const terminal = error instanceof TerminalWebhookError || delivery.attempts >= MAX_ATTEMPTS;
  const backoffMs = Math.min(60_000, 500 * 2 ** delivery.attempts);
  return markDeliveryFailed(delivery.webhookId, message, terminal ? null : backoffMs);
}

/**
 * Runs the delivery's handler; true when it succeeded (the delivery is marked done with its
 * batch). `held`: whether the app holds the shop. A delivery of any other shop (never installed,
 * or redacted since) must not create its rows again, and its payload is not kept.
 */
async function processDelivery<Effects>(
  delivery: ClaimedDelivery,
  held: boolean,
  work: InboxProcessing<Effects>,
): Promise<boolean> {
  if (!held) {
    await forgetDelivery(delivery.webhookId);
    return false;
  }
  const handler = work.handlers[delivery.topic];
  if (!handler) {
    // Stored but not (yet) acted on: kept as failed so it is visible rather than silently dropped.
    await markDeliveryFailed(delivery.webhookId, `no handler for topic ${delivery.topic}`, null);
    return false;
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
    return true;
  } catch (error) {
    await failDelivery(delivery, error);
    return false;
  }
}

/**
 * The batch's handled deliveries are done once what they reported is carried out; for a shop
 * redacted during the batch nothing is carried out (it would bring the shop's rows back).
 */
async function settleBatch<Effects>(
  handled: ClaimedDelivery[],
  held: boolean,
  work: InboxProcessing<Effects>,
) {
  try {
    if (held) await work.settle?.();
  } catch (error) {
    // Handlers report every time they run, so a retried delivery reports its customers again.
    for (const delivery of handled) await failDelivery(delivery, error);
    return;
  }
  await markDeliveriesDone(handled.map((delivery) => delivery.webhookId));
}

let acknowledgementsInFlight = 0;
/**
 * How long processing waits for acknowledgements in flight between two deliveries: long enough
 * for a burst's acknowledgements to go first, short enough that a flood of deliveries (a tag
 * write's echoes) is still processed hundreds a second rather than a few.
 */
const MAX_WORKER_WAIT_MS = 10;

/** No acknowledgement for this long: deliveries are not arriving, the inbox is draining alone. */
const QUIET_MS = 100;
let lastAcknowledgementAt = 0;

/**
 * Runs a webhook request's acknowledgement (authenticate + store). Shopify gives a delivery 5 s
 * and retries slow ones, so acknowledging comes first; processing waits, the inbox holds the rest.
 */
export async function acknowledging<T>(work: () => Promise<T>): Promise<T> {
  acknowledgementsInFlight += 1;
  lastAcknowledgementAt = Date.now();
  try {
    return await work();
  } finally {
    acknowledgementsInFlight -= 1;
  }
}

/**
 * Between deliveries, let pending acknowledgements run first (bounded, so processing never
 * stalls). While deliveries arrive, each pause lasts at least a timer's 1 ms, which leaves the
 * acknowledgements room; with none arriving, only requests already waiting go first
 * (setImmediate), since those pauses were a seventh of a drain's time.
 */
async function yieldToAcknowledgements() {
  if (acknowledgementsInFlight === 0 && Date.now() - lastAcknowledgementAt > QUIET_MS)
    return new Promise((resolve) => setImmediate(resolve));
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
    const handledOk: ClaimedDelivery[] = [];
    while (batch.length > 0) {
      const [delivery, ...rest] = batch;
      if (await processDelivery(delivery, held, work)) handledOk.push(delivery);
      // Later deliveries of a shop redacted just now are not processed.
      if (delivery.topic === "shop/redact") held = false;
      // A customer's redaction deletes or scrubs the inbox's deliveries about them: the rest of
      // the batch is read again, so none of them brings the customer back.
      batch = delivery.topic === "customers/redact" ? await rereadDeliveries(rest) : rest;
      await yieldToAcknowledgements();
    }
    await settleBatch(handledOk, held, work);
  }
}

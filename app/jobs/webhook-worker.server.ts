import { randomUUID } from "node:crypto";
import { heldShops } from "~/models/shop.server";
import {
  claimDeliveries,
  dropOldFailedBodies,
  forgetDelivery,
  markDeliveryDone,
  markDeliveryFailed,
  type ClaimedDelivery,
} from "~/models/webhook-inbox.server";
import { TerminalWebhookError, webhookHandlerFor } from "./webhook-handlers.server";
// Registers the sync topics (orders/*, customers/*, customer.tags_*, products/*, bulk_operations/finish).
import "~/sync/webhook-handlers.server";
// Recomputes the segments of customers that sync reports as changed.
import "~/segments/listener.server";
// Recomputes and republishes storefront upsells after orders change (debounced per shop).
import "~/storefront/listener.server";

const MAX_ATTEMPTS = 8;
const BATCH_SIZE = 50;
const workerId = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;

/**
 * `held`: the batch's shops the app holds. A delivery of any other shop (never installed, or
 * redacted since) must not create its rows again, and its payload is not kept.
 */
async function processDelivery(delivery: ClaimedDelivery, held: Set<string>) {
  if (!held.has(delivery.shop)) return forgetDelivery(delivery.webhookId);
  const handler = webhookHandlerFor(delivery.topic);
  if (!handler) {
    // Stored but not (yet) acted on: kept as failed so it is visible rather than silently dropped.
    await markDeliveryFailed(delivery.webhookId, `no handler for topic ${delivery.topic}`, null);
    return;
  }
  try {
    await handler({
      shop: delivery.shop,
      topic: delivery.topic,
      webhookId: delivery.webhookId,
      payload: JSON.parse(delivery.payload),
      triggeredAt: delivery.triggeredAt,
    });
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

/** Processes pending deliveries until none is claimable; returns how many were handled. */
export async function drainInbox(): Promise<number> {
  let handled = 0;
  for (;;) {
    const batch = await claimDeliveries(workerId, BATCH_SIZE);
    if (batch.length === 0) return handled;
    const held = await heldShops(batch.map((delivery) => delivery.shop));
    for (const delivery of batch) {
      await processDelivery(delivery, held);
      // Later deliveries of a shop redacted just now are not processed.
      if (delivery.topic === "shop/redact") held.delete(delivery.shop);
      await yieldToAcknowledgements();
    }
    handled += batch.length;
  }
}

let tail: Promise<void> = Promise.resolve();
let queued: Promise<void> | null = null;

/**
 * Wakes the in-process worker. Drains run one at a time; a kick during a drain queues exactly one
 * more, which sees everything stored before it starts. Resolves once that drain has finished.
 */
export function kickInboxWorker(): Promise<void> {
  if (queued) return queued;
  const next = tail.then(async () => {
    queued = null;
    await drainInbox().catch((error) => console.error("webhook worker failed", error));
  });
  queued = next;
  tail = next;
  return next;
}

/** Polls for deliveries whose retry time has come (or that another instance left behind). */
export function startInboxWorker(intervalMs = 5_000) {
  const timer = setInterval(() => void kickInboxWorker(), intervalMs);
  timer.unref();
  void kickInboxWorker();
  // Failed deliveries' bodies are kept a few days for a look, then dropped (checked hourly).
  const dropBodies = () =>
    void dropOldFailedBodies().catch((error) =>
      console.error("dropping old webhook bodies failed:", error),
    );
  const hourly = setInterval(dropBodies, 3_600_000);
  hourly.unref();
  dropBodies();
  return () => {
    clearInterval(timer);
    clearInterval(hourly);
  };
}

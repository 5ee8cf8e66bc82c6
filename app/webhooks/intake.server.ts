import { payloadMismatch } from "~/domain/webhooks/payload-check";
import { recordDelivery } from "~/models/webhook-inbox.server";

/**
 * Largest webhook body accepted. Shopify's largest (an order with hundreds of line items) is a
 * few hundred KB; a body is read before its signature can be checked, so without a bound ten
 * unsigned 50 MB posts took the process from 150 to 916 MB.
 */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

const refuse = (status: number, message: string): never => {
  throw new Response(message, { status, headers: { "Content-Type": "text/plain" } });
};

const tooLarge = () => refuse(413, `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes.`);

/** The body as text, read no further than MAX_WEBHOOK_BYTES (413 beyond). */
async function boundedBody(request: Request) {
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_WEBHOOK_BYTES) tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Node's web streams are async-iterable; the DOM typings do not say so.
  if (request.body)
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      // Leaving the loop early cancels the stream: the rest of the body is never read.
      if (size > MAX_WEBHOOK_BYTES) tooLarge();
      chunks.push(chunk);
    }
  return Buffer.concat(chunks).toString("utf8");
}

/** What the Shopify library's webhook authentication gives for a verified delivery. */
interface VerifiedWebhook {
  shop: string;
  topic: unknown;
  webhookId: string;
  apiVersion: string;
  payload: unknown;
  triggeredAt?: string;
  eventId?: string;
}

/** Verifies Shopify's signature (`authenticate.webhook` of app/shopify.server.ts). */
export type WebhookAuthentication = (request: Request) => Promise<VerifiedWebhook>;

/**
 * Takes one webhook delivery: a bounded body, Shopify's signature (the library answers 400, 401 or
 * 405 itself), then the delivery stored durably. Bad input is refused with a 4xx and stores
 * nothing: a signed body that is not JSON or not one Shopify would send with these headers, an
 * `X-Shopify-Triggered-At` that is not a time.
 */
export async function receiveWebhook(request: Request, authenticate: WebhookAuthentication) {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const body = hasBody ? await boundedBody(request) : undefined;
  const signed = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
  });
  const { shop, topic, webhookId, apiVersion, payload, triggeredAt, eventId } = await authenticate(
    signed,
  ).catch((error: unknown) => {
    if (error instanceof SyntaxError) refuse(400, "The webhook body is not JSON.");
    throw error;
  });
  // The library upper-cases topics (CUSTOMER_TAGS_ADDED); the header keeps Shopify's spelling.
  const shopifyTopic = request.headers.get("X-Shopify-Topic") ?? String(topic);
  const mismatch = payloadMismatch(shopifyTopic, shop, payload);
  if (mismatch) refuse(400, `The webhook body does not match its headers: ${mismatch}.`);
  const triggered = triggeredAt ? new Date(triggeredAt) : undefined;
  if (triggered && Number.isNaN(triggered.getTime()))
    refuse(400, "X-Shopify-Triggered-At is not a time.");
  await recordDelivery({
    webhookId,
    shop,
    topic: shopifyTopic,
    apiVersion,
    eventId,
    triggeredAt: triggered,
    payload,
  });
  return { shop };
}

import type { ActionFunctionArgs } from "@remix-run/node";
import { acknowledging, kickInboxWorker } from "~/jobs/webhook-worker.server";
import { recordDelivery } from "~/models/webhook-inbox.server";
import { authenticate } from "~/shopify.server";

/**
 * Every webhook topic arrives here (shopify.app.toml). Authenticate (the library throws 400 / 401 /
 * 405 Responses itself), store the delivery durably, wake the worker, answer 200 at once.
 */
export async function action({ request }: ActionFunctionArgs) {
  await acknowledging(async () => {
    const { shop, topic, webhookId, apiVersion, payload, triggeredAt, eventId } =
      await authenticate.webhook(request);
    await recordDelivery({
      webhookId,
      shop,
      // The library upper-cases topics (CUSTOMER_TAGS_ADDED); the header keeps Shopify's spelling.
      topic: request.headers.get("X-Shopify-Topic") ?? String(topic),
      apiVersion,
      eventId,
      triggeredAt: triggeredAt ? new Date(triggeredAt) : undefined,
      payload,
    });
  });
  void kickInboxWorker();
  return new Response(null, { status: 200 });
}

import type { ActionFunctionArgs } from "@remix-run/node";
import { pipeline } from "~/pipeline.server";
import { authenticate } from "~/shopify.server";
import { receiveWebhook } from "~/webhooks/intake.server";
import { acknowledging } from "~/webhooks/inbox-worker.server";

/**
 * Every webhook topic arrives here (shopify.app.toml): the delivery is checked and stored durably
 * (bad input gets a 4xx and stores nothing), the shop's inbox job is sent, and Shopify gets its
 * 200 at once.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await acknowledging(() => receiveWebhook(request, authenticate.webhook));
  pipeline().webhookStored(shop);
  return new Response(null, { status: 200 });
}

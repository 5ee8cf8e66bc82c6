import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/jobs/webhook-intake.server";
import { acknowledging, kickInboxWorker } from "~/jobs/webhook-worker.server";

/**
 * Every webhook topic arrives here (shopify.app.toml): the delivery is checked and stored durably
 * (bad input gets a 4xx and stores nothing), the worker is woken, and Shopify gets its 200 at once.
 */
export async function action({ request }: ActionFunctionArgs) {
  await acknowledging(() => receiveWebhook(request));
  void kickInboxWorker();
  return new Response(null, { status: 200 });
}

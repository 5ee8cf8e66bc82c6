import { markUninstalled, recordScopes } from "~/models/shop.server";
import { redactCustomer, redactShop } from "~/models/redaction.server";
import { writeDataRequest } from "./data-request.server";

export interface WebhookJob {
  shop: string;
  topic: string;
  webhookId: string;
  payload: unknown;
  triggeredAt: Date | null;
}

export type WebhookHandler = (job: WebhookJob) => Promise<void>;

/** A handler failure that retrying cannot fix (bad payload): the delivery is failed, not retried. */
export class TerminalWebhookError extends Error {}

const customerGid = (id: unknown) => `gid://shopify/Customer/${String(id)}`;

const handlers = new Map<string, WebhookHandler>([
  ["app/uninstalled", async ({ shop }) => markUninstalled(shop)],
  [
    "app/scopes_update",
    async ({ shop, payload }) => {
      const current = (payload as { current?: unknown }).current;
      if (!Array.isArray(current))
        throw new TerminalWebhookError("scopes_update without a current scope list");
      await recordScopes(shop, current.join(","));
    },
  ],
  ["shop/redact", async ({ shop }) => redactShop(shop)],
  [
    "customers/redact",
    async ({ shop, payload }) => {
      const id = (payload as { customer?: { id?: unknown } }).customer?.id;
      if (id === undefined || id === null)
        throw new TerminalWebhookError("customers/redact without customer.id");
      await redactCustomer(shop, customerGid(id));
    },
  ],
  [
    "customers/data_request",
    async ({ shop, payload }) => {
      const request = payload as { customer?: { id?: unknown }; data_request?: { id?: unknown } };
      if (request.customer?.id === undefined || request.customer.id === null)
        throw new TerminalWebhookError("customers/data_request without customer.id");
      await writeDataRequest(
        shop,
        customerGid(request.customer.id),
        String(request.data_request?.id ?? Date.now()),
      );
    },
  ],
]);

/** Registers the handler for a topic; later issues add theirs (sync, tags) the same way. */
export function registerWebhookHandler(topic: string, handler: WebhookHandler) {
  handlers.set(topic, handler);
}

export function webhookHandlerFor(topic: string): WebhookHandler | undefined {
  return handlers.get(topic);
}

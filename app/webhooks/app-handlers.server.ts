import { isTimeZone } from "~/domain/dates";
import { markUninstalled, recordScopes, recordShopLocale } from "~/models/shop.server";
import { redactCustomer, redactShop } from "~/models/redaction.server";
import { writeDataRequest } from "./data-request.server";
import { TerminalWebhookError, type WebhookHandlers } from "./handler";

const customerGid = (id: unknown) => `gid://shopify/Customer/${String(id)}`;

/** The app's lifecycle and privacy topics (Shopify's mandatory compliance webhooks). */
export const APP_WEBHOOK_HANDLERS: WebhookHandlers = Object.fromEntries([
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
  [
    "shop/update",
    async ({ shop, payload }) => {
      // The shop's settings changed: keep the time zone and currency the admin shows them in.
      const { iana_timezone: timeZone, currency } = payload as {
        iana_timezone?: unknown;
        currency?: unknown;
      };
      if (typeof timeZone !== "string" || !isTimeZone(timeZone))
        throw new TerminalWebhookError(`shop/update without a known iana_timezone: ${timeZone}`);
      if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency))
        throw new TerminalWebhookError(`shop/update without a currency code: ${currency}`);
      await recordShopLocale(shop, { ianaTimezone: timeZone, currencyCode: currency });
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

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  getHmac,
  RequestType,
  setUpValidRequest,
  setUpValidSession,
} from "@shopify/shopify-api/test-helpers";
import { recordInstall } from "~/models/shop.server";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { sessionStorage } from "~/shopify.server";
import { customerGid, orderGid } from "./store-rows";

export const APP_URL = "https://my-test-app.myshopify.io";
export const API_KEY = "testApiKey";
export const API_SECRET = "testApiSecretKey";
export const APP_SCOPES =
  "read_customers,write_customers,read_orders,read_all_orders,read_products,write_products,read_themes,read_locales,write_pixels,read_customer_events";

/** The access scopes shopify.app.toml requests: what a merchant grants on install. */
export function requestedScopes() {
  const toml = readFileSync(new URL("../../shopify.app.toml", import.meta.url), "utf8");
  const scopes = /^scopes\s*=\s*"([^"]*)"/m.exec(toml)?.[1];
  if (!scopes) throw new Error("shopify.app.toml has no [access_scopes] scopes");
  return scopes.split(",");
}

/** A unique shop domain per test, so tests sharing one database never see each other's rows. */
export function testShop(label: string) {
  return `${label}-${randomUUID().slice(0, 8)}.myshopify.com`;
}

/** A unique test shop that has installed the app (the webhook worker ignores unknown shops). */
export async function installedShop(label: string) {
  const shop = testShop(label);
  await recordInstall(shop, APP_SCOPES);
  return shop;
}

interface WebhookOptions {
  topic: string;
  shop: string;
  payload: unknown;
  webhookId?: string;
  secret?: string;
  /** X-Shopify-Triggered-At; now by default. */
  triggeredAt?: Date;
}

/** A webhook delivery exactly as Shopify sends it: raw JSON body, HMAC over the bytes, all headers. */
export function webhookRequest({
  topic,
  shop,
  payload,
  webhookId = randomUUID(),
  secret = API_SECRET,
  triggeredAt = new Date(),
}: WebhookOptions) {
  const body = JSON.stringify(payload);
  return new Request(`${APP_URL}/webhooks`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": getHmac(body, secret),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": ADMIN_API_VERSION,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": triggeredAt.toISOString(),
      "X-Shopify-Event-Id": randomUUID(),
    },
  });
}

/** Stores an offline session for the shop, as token exchange would have. */
export async function storeOfflineSession(shop: string) {
  const session = setUpValidSession({
    shop,
    expires: undefined,
    scope: APP_SCOPES,
    isOnline: false,
  });
  await sessionStorage.storeSession(session);
  return session;
}

/** An embedded-admin document request carrying a genuine signed session token for the shop. */
export async function adminRequest(shop: string, path = "/app") {
  return setUpValidRequest(
    {
      type: RequestType.Admin,
      store: shop.replace(/\.myshopify\.com$/, ""),
      apiKey: API_KEY,
      apiSecretKey: API_SECRET,
    },
    new Request(`${APP_URL}${path}`),
  );
}

/** A minimal `orders/create` (or `orders/updated`) body of a paid order without line items. */
export function orderWebhookPayload(id: number, customerId: number, at: Date, amount = "25.00") {
  return {
    id,
    admin_graphql_api_id: orderGid(id),
    name: `#${id}`,
    created_at: at.toISOString(),
    processed_at: at.toISOString(),
    updated_at: at.toISOString(),
    cancelled_at: null,
    test: false,
    currency: "USD",
    current_total_price: amount,
    current_total_price_set: { shop_money: { amount, currency_code: "USD" } },
    current_total_discounts_set: { shop_money: { amount: "0.00", currency_code: "USD" } },
    discount_codes: [],
    source_name: "web",
    customer: { id: customerId, admin_graphql_api_id: customerGid(customerId) },
    shipping_address: { country_code: "US" },
    line_items: [],
  };
}

/** A minimal customers/create or customers/update body for the customer, changed at `at`. */
export function customerWebhookPayload(id: number, at: Date) {
  return {
    id,
    admin_graphql_api_id: customerGid(id),
    created_at: new Date(at.getTime() - 86_400_000).toISOString(),
    updated_at: at.toISOString(),
    tags: "",
    default_address: { country_code: "US" },
    email_marketing_consent: { state: "subscribed" },
  };
}

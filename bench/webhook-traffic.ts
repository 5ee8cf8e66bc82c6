// Webhook deliveries as Shopify sends them (bench/webhooks.bench.ts). Run as a script it is the
// sender of a burst: its own process, so signing and sending do not share the app's event loop.
//   tsx bench/webhook-traffic.ts <url> <seconds> <rate> <first index>
// prints one JSON line with the acks.
import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { ADMIN_API_VERSION } from "~/shopify/api-version";

export const SHOP = "bench-webhooks.myshopify.com";
const SECRET = "testApiSecretKey";

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function orderPayload(id: number, customerId: number) {
  const now = Date.now();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    created_at: iso(now),
    processed_at: iso(now),
    updated_at: iso(now),
    cancelled_at: null,
    test: false,
    currency: "USD",
    current_total_price_set: { shop_money: { amount: "42.50", currency_code: "USD" } },
    current_total_discounts_set: { shop_money: { amount: "0.00", currency_code: "USD" } },
    discount_codes: [],
    source_name: "web",
    customer: { id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}` },
    shipping_address: { country_code: "US" },
    line_items: [1, 2].map((n) => ({
      id: id * 10 + n,
      admin_graphql_api_id: `gid://shopify/LineItem/${id * 10 + n}`,
      product_id: 7 + n,
      variant_id: 70 + n,
      quantity: n,
      price: "21.25",
      price_set: { shop_money: { amount: "21.25", currency_code: "USD" } },
    })),
  };
}

function customerPayload(customerId: number) {
  const now = Date.now();
  return {
    id: customerId,
    admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
    created_at: iso(now - 86_400_000),
    updated_at: iso(now),
    tags: `bench, t${now % 7}`,
    orders_count: 3,
    total_spent: "99.00",
    default_address: { city: "Ottawa", province_code: "ON", country_code: "CA" },
    email_marketing_consent: { state: "subscribed" },
  };
}

function tagsAddedPayload(customerId: number) {
  return {
    customerId: `gid://shopify/Customer/${customerId}`,
    tags: [`burst-${customerId % 5}`],
    occurredAt: new Date().toISOString(),
  };
}

/**
 * The index-th delivery, in a cycle of six topics: a customer updated, two orders created, the
 * second of them updated, a tag added to a customer, a new customer.
 */
export function delivery(index: number) {
  const customerId = 1 + (index % 500);
  switch (index % 6) {
    case 0:
      return { topic: "customers/update", payload: customerPayload(customerId) };
    case 3:
      return { topic: "orders/updated", payload: orderPayload(1_000_000 + index - 1, customerId) };
    case 4:
      return { topic: "customer.tags_added", payload: tagsAddedPayload(customerId) };
    case 5:
      return { topic: "customers/create", payload: customerPayload(100_000 + index) };
    default:
      return { topic: "orders/create", payload: orderPayload(1_000_000 + index, customerId) };
  }
}

async function post(url: string, topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const webhookId = randomUUID();
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": ADMIN_API_VERSION,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  });
  await response.arrayBuffer();
  return { webhookId, status: response.status, ms: performance.now() - started };
}

export interface BurstResult {
  sent: number;
  sendSeconds: number;
  acks: number[];
  failedAcks: number;
  /** The webhook ids answered with 200: each must end processed. */
  acknowledged: string[];
  /** Why acks failed: "HTTP <status>" or the request error's code, with counts. */
  failures: Record<string, number>;
}

/** `rate` deliveries per second for `seconds`, each timed from sending to the answer. */
async function burst(
  url: string,
  seconds: number,
  rate: number,
  first: number,
): Promise<BurstResult> {
  const acks: number[] = [];
  let failedAcks = 0;
  const acknowledged: string[] = [];
  const failures: Record<string, number> = {};
  const fail = (reason: string) => {
    failedAcks++;
    failures[reason] = (failures[reason] ?? 0) + 1;
  };
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  while (sent < seconds * rate) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < Math.min(due, seconds * rate)) {
      const { topic, payload } = delivery(first + sent++);
      inFlight.push(
        post(url, topic, payload).then(
          ({ webhookId, status, ms }) => {
            acks.push(ms);
            if (status === 200) acknowledged.push(webhookId);
            else fail(`HTTP ${status}`);
          },
          (error: Error & { cause?: { code?: string } }) =>
            fail(error.cause?.code ?? error.cause?.constructor.name ?? error.name),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  return {
    sent,
    sendSeconds: (performance.now() - started) / 1000,
    acks,
    failedAcks,
    acknowledged,
    failures,
  };
}

/** Runs a burst from its own process, as Shopify would send it, and resolves with its result. */
export function sendBurstFromOwnProcess(url: string, seconds: number, rate: number, first: number) {
  return new Promise<BurstResult>((resolve, reject) => {
    const sender = spawn(
      process.execPath,
      ["--import", "tsx", "bench/webhook-traffic.ts", url, ...[seconds, rate, first].map(String)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    sender.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    sender.on("error", reject);
    sender.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(output) as BurstResult)
        : reject(new Error(`the webhook sender exited with code ${code}`)),
    );
  });
}

if (process.argv[1]?.endsWith("webhook-traffic.ts")) {
  const [url, seconds, rate, first] = process.argv.slice(2);
  const result = await burst(url, Number(seconds), Number(rate), Number(first));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

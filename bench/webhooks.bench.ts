// Incremental sync through the webhook endpoint: one delivery processed (p50/p95), and a burst of
// 200 deliveries/s for 30 s at the HTTP endpoint (ack p99, lost). The app's endpoint is served
// over real HTTP with the in-process inbox worker running, as in production.
// BENCH_WEBHOOK_SECONDS / BENCH_WEBHOOK_RATE change the burst.
import { createHmac, randomUUID } from "node:crypto";
import prisma from "~/db.server";
import { kickInboxWorker } from "~/jobs/webhook-worker.server";
import { recordDelivery } from "~/models/webhook-inbox.server";
import { serveWebhookEndpoint } from "../tests/integration/sync/support";
import { defineBench, percentile, round } from "./harness";

const SHOP = "bench-webhooks.myshopify.com";
const SECRET = "testApiSecretKey";

let orderSeq = 1_000_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function orderPayload(customerId: number) {
  const id = ++orderSeq;
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

function delivery(index: number) {
  const customerId = 1 + (index % 500);
  return index % 3 === 0
    ? { topic: "customers/update", payload: customerPayload(customerId) }
    : { topic: "orders/create", payload: orderPayload(customerId) };
}

async function post(url: string, topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": "2026-04",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

export default defineBench({
  name: "webhooks",
  async run() {
    // One delivery at a time: stored, then timed from worker wake-up to done.
    const processing: number[] = [];
    for (let i = 0; i < 600; i++) {
      const { topic, payload } = delivery(i);
      await recordDelivery({ webhookId: randomUUID(), shop: SHOP, topic, payload });
      const started = performance.now();
      await kickInboxWorker();
      processing.push(performance.now() - started);
    }
    const warm = processing.slice(100);
    const notDone = await prisma.webhookDelivery.count({
      where: { shop: SHOP, status: { not: "done" } },
    });
    if (notDone) throw new Error(`${notDone} single deliveries were not processed`);

    // The burst, against the HTTP endpoint.
    const seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 30);
    const rate = Number(process.env.BENCH_WEBHOOK_RATE ?? 200);
    const endpoint = await serveWebhookEndpoint();
    const acks: number[] = [];
    let failedAcks = 0;
    const before = await prisma.webhookDelivery.count({ where: { shop: SHOP } });
    const inFlight: Promise<void>[] = [];
    const burstStart = performance.now();
    let sent = 0;
    try {
      while (sent < seconds * rate) {
        const due = Math.floor(((performance.now() - burstStart) / 1000) * rate);
        while (sent < Math.min(due, seconds * rate)) {
          const { topic, payload } = delivery(sent++);
          inFlight.push(
            post(endpoint.url, topic, payload).then(
              ({ status, ms }) => {
                acks.push(ms);
                if (status !== 200) failedAcks++;
              },
              () => {
                failedAcks++;
              },
            ),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await Promise.all(inFlight);
      const sendSeconds = (performance.now() - burstStart) / 1000;
      // Let the worker finish what was acknowledged, then count what was lost.
      for (;;) {
        await kickInboxWorker();
        const pending = await prisma.webhookDelivery.count({
          where: { shop: SHOP, status: "pending" },
        });
        if (pending === 0) break;
      }
      const drainSeconds = (performance.now() - burstStart) / 1000;
      const stored = (await prisma.webhookDelivery.count({ where: { shop: SHOP } })) - before;
      const done = await prisma.webhookDelivery.count({ where: { shop: SHOP, status: "done" } });
      const lost = sent - failedAcks - stored + (stored + before - done);
      return [
        {
          metric: "one webhook processed p50",
          value: round(percentile(warm, 50), 2),
          unit: "ms",
          note: `${warm.length} deliveries (orders/create with 2 line items, customers/update), claim → handler → done`,
        },
        {
          metric: "one webhook processed p95",
          value: round(percentile(warm, 95), 2),
          unit: "ms",
          target: { op: "<=", value: 20 },
        },
        {
          metric: `burst ack p99 (${rate}/s for ${seconds} s)`,
          value: round(percentile(acks, 99), 1),
          unit: "ms",
          target: { op: "<=", value: 50 },
          note: `${sent} sent in ${round(sendSeconds)} s, p50 ${round(percentile(acks, 50), 1)} ms, max ${round(Math.max(...acks), 1)} ms; all processed after ${round(drainSeconds)} s`,
        },
        {
          metric: "burst non-200 acks",
          value: failedAcks,
          unit: "deliveries",
          note: "Shopify would retry these",
        },
        {
          metric: "burst lost (acked 200, not stored and processed)",
          value: lost,
          unit: "deliveries",
          target: { op: "<=", value: 0 },
        },
      ];
    } finally {
      await endpoint.close();
    }
  },
});

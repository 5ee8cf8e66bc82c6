import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import {
  claimDeliveries,
  markDeliveriesDone,
  recordDelivery,
  shopsWithClaimableDeliveries,
} from "~/models/webhook-inbox.server";
import { action } from "~/routes/webhooks";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { MAX_WEBHOOK_BYTES } from "~/webhooks/intake.server";
import {
  API_SECRET,
  APP_URL,
  installedShop,
  storeOfflineSession,
  testShop,
  webhookRequest,
} from "../support/shopify-requests";
import { responseOf } from "../support/responses";
import { webhookSample as sample } from "../support/shopify-reference";
import { processInboxes } from "../support/pipeline";

const post = (request: Request) => responseOf(() => action({ request, params: {}, context: {} }));

describe("webhook endpoint", () => {
  it("stores a correctly signed delivery and answers 200", async () => {
    const shop = await installedShop("signed");
    const response = await post(
      webhookRequest({ topic: "orders/create", shop, payload: sample("orders/create") }),
    );
    expect(response.status).toBe(200);
    const rows = await prisma.webhookDelivery.findMany({ where: { shop } });
    expect(rows).toHaveLength(1);
    expect(rows[0].topic).toBe("orders/create");
    // The worker may have processed it already (the route wakes it): then the body is dropped.
    if (rows[0].status === "pending")
      expect(JSON.parse(rows[0].payload).id).toBe(sample("orders/create").id);
    else
      expect(rows[0]).toMatchObject({ status: "done", payload: "", lastError: null, attempts: 1 });
  });

  it("refuses a forged signature with 401 and stores nothing", async () => {
    const shop = testShop("forged");
    const response = await post(
      webhookRequest({
        topic: "orders/create",
        shop,
        payload: sample("orders/create"),
        secret: "not-the-app-secret",
      }),
    );
    expect(response.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("refuses a body changed after signing with 401", async () => {
    const shop = testShop("tampered");
    const signed = webhookRequest({ topic: "orders/create", shop, payload: { id: 1 } });
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify({ id: 2 }),
    });
    expect((await post(tampered)).status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("answers 400 when Shopify's headers are missing, and 405 to a GET", async () => {
    const shop = testShop("headers");
    const signed = webhookRequest({ topic: "orders/create", shop, payload: { id: 1 } });
    const headers = new Headers(signed.headers);
    headers.delete("X-Shopify-Topic");
    const missing = new Request(signed.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ id: 1 }),
    });
    expect((await post(missing)).status).toBe(400);
    expect((await post(new Request(signed.url, { method: "GET" }))).status).toBe(405);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  /** A delivery signed correctly over `body`, with the headers of `webhookRequest` and `changes`. */
  function signedRaw(shop: string, body: string, changes: Record<string, string> = {}) {
    const headers = new Headers(
      webhookRequest({ topic: "orders/create", shop, payload: {} }).headers,
    );
    headers.set("X-Shopify-Hmac-Sha256", getHmac(body, API_SECRET));
    for (const [name, value] of Object.entries(changes)) headers.set(name, value);
    return new Request(`${APP_URL}/webhooks`, { method: "POST", headers, body });
  }

  it("answers 400 to a correctly signed body that is not JSON, and stores nothing", async () => {
    const shop = testShop("not-json");
    const response = await post(signedRaw(shop, '{"id": 1, "line_items": ['));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not JSON/);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("answers 400 to an X-Shopify-Triggered-At that is not a time, and stores nothing", async () => {
    const shop = testShop("bad-time");
    const body = JSON.stringify(sample("orders/create"));
    const response = await post(signedRaw(shop, body, { "X-Shopify-Triggered-At": "yesterday" }));
    expect(response.status).toBe(400);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("answers 413 to a body over the limit without reading past it", async () => {
    const shop = testShop("too-large");
    const declared = signedRaw(shop, "x".repeat(MAX_WEBHOOK_BYTES + 1));
    expect((await post(declared)).status).toBe(413);

    // Streamed without a length, as a client may: the app stops pulling once over the limit.
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(32);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const headers = new Headers(signedRaw(shop, "{}").headers);
    headers.delete("Content-Length");
    const streamed = new Request(`${APP_URL}/webhooks`, {
      method: "POST",
      headers,
      body: endless,
      duplex: "half",
    } as RequestInit);
    expect((await post(streamed)).status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES + 3 * chunk.byteLength);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  it("keeps one inbox row when Shopify delivers the same webhook twice", async () => {
    const shop = await installedShop("duplicate");
    const delivery = {
      topic: "customers/update",
      shop,
      payload: sample("customers/update"),
      webhookId: `dup-${shop}`,
    };
    expect((await post(webhookRequest(delivery))).status).toBe(200);
    expect((await post(webhookRequest(delivery))).status).toBe(200);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(1);
  });
});

describe("webhook inbox under concurrent deliveries", () => {
  it("stores each of many simultaneous deliveries once, duplicates among them included", async () => {
    const shop = testShop("burst");
    const ids = Array.from({ length: 40 }, (_, index) => `burst-${shop}-${index % 30}`);
    const responses = await Promise.all(
      ids.map((webhookId, index) =>
        post(webhookRequest({ topic: "segments/create", shop, payload: { id: index }, webhookId })),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(ids.map(() => 200));
    const rows = await prisma.webhookDelivery.findMany({
      where: { shop },
      select: { webhookId: true },
    });
    expect(rows.map((row) => row.webhookId).sort()).toEqual([...new Set(ids)].sort());
  });
});

describe("inbox leases", () => {
  it("hands out deliveries in the order their events happened, a create first on a tie", async () => {
    const shop = testShop("event-order");
    await processInboxes(); // earlier tests' drains must not take these rows
    const created = new Date("2026-11-01T10:00:00.500Z");
    const ordered = new Date(created.getTime() + 1);
    // A new customer's first order, arrived in reverse: its events were the customer's create,
    // then (at once) the order's create and the customer's update.
    for (const [name, topic, triggeredAt] of [
      ["update", "customers/update", ordered],
      ["order", "orders/create", ordered],
      ["create", "customers/create", created],
    ] as const)
      await recordDelivery({ webhookId: `${shop}-${name}`, shop, topic, triggeredAt, payload: {} });
    const claimed = await claimDeliveries(`event-order-${shop}`, 1000);
    expect(claimed.filter((row) => row.shop === shop).map((row) => row.topic)).toEqual([
      "customers/create",
      "orders/create",
      "customers/update",
    ]);
  });

  it("gives two workers claiming at once disjoint deliveries, and all of them", async () => {
    const shop = testShop("leases");
    await processInboxes(); // earlier tests' drains must not take these rows
    const ids = Array.from({ length: 12 }, (_, index) => `lease-${shop}-${index}`);
    await Promise.all(
      ids.map((webhookId) =>
        recordDelivery({ webhookId, shop, topic: "segments/create", payload: {} }),
      ),
    );
    // Other tests' rows may be claimed too; only this shop's rows are looked at.
    const [first, second] = await Promise.all([
      claimDeliveries("worker-a", 1000),
      claimDeliveries("worker-b", 1000),
    ]);
    const mine = (rows: { shop: string; webhookId: string }[]) =>
      rows.filter((row) => row.shop === shop).map((row) => row.webhookId);
    const [a, b] = [mine(first), mine(second)];
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect([...a, ...b].sort()).toEqual([...ids].sort());
  });

  it("sends the sweep each shop with a claimable delivery once, and none whose rows are leased or done", async () => {
    const [waiting, leased, done] = ["sweep-waiting", "sweep-leased", "sweep-done"].map(testShop);
    for (const shop of [waiting, leased, done])
      for (const index of [1, 2])
        await recordDelivery({
          webhookId: `${shop}-${index}`,
          shop,
          topic: "segments/create",
          payload: {},
        });
    await claimDeliveries("sweep-worker", 10, { shop: leased });
    await markDeliveriesDone([`${done}-1`, `${done}-2`]);
    const shops = await shopsWithClaimableDeliveries();
    expect(shops.filter((shop) => shop === waiting)).toEqual([waiting]);
    expect(shops).not.toContain(leased);
    expect(shops).not.toContain(done);
    // Once the lease is over, the rows are claimable again.
    expect(await shopsWithClaimableDeliveries(new Date(Date.now() + 120_000))).toContain(leased);
  });
});

describe("lifecycle and compliance webhooks", () => {
  it("app/uninstalled marks the shop uninstalled and deletes its sessions", async () => {
    const shop = testShop("uninstall");
    await recordInstall(shop, "read_customers");
    await storeOfflineSession(shop);
    await post(
      webhookRequest({ topic: "app/uninstalled", shop, payload: sample("app/uninstalled") }),
    );
    await processInboxes();
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(
      (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt,
    ).toBeInstanceOf(Date);
  });

  it("shop/redact deletes every row of that shop and no other", async () => {
    const shop = testShop("redact");
    const neighbour = testShop("neighbour");
    for (const domain of [shop, neighbour]) {
      await recordInstall(domain, "read_customers");
      await storeOfflineSession(domain);
      await prisma.customer.create({
        data: {
          shop: domain,
          id: "gid://shopify/Customer/1",
          createdAt: new Date(),
          updatedAt: new Date(),
        },
      });
    }
    await post(
      webhookRequest({
        topic: "shop/redact",
        shop,
        payload: { ...sample("shop/redact"), shop_domain: shop },
      }),
    );
    await processInboxes();

    const rowsLeft = await Promise.all([
      prisma.shop.count({ where: { domain: shop } }),
      prisma.session.count({ where: { shop } }),
      prisma.customer.count({ where: { shop } }),
      prisma.webhookDelivery.count({ where: { shop } }),
    ]);
    expect(rowsLeft).toEqual([0, 0, 0, 0]);
    expect(await prisma.customer.count({ where: { shop: neighbour } })).toBe(1);
  });

  it("does not process a delivery claimed together with, and after, its shop's redaction", async () => {
    const shop = await installedShop("same-batch");
    await recordDelivery({
      webhookId: `redact-${shop}`,
      shop,
      topic: "shop/redact",
      payload: { ...sample("shop/redact"), shop_domain: shop },
    });
    for (const topic of ["orders/create", "customers/update"])
      await recordDelivery({ webhookId: `${topic}-${shop}`, shop, topic, payload: sample(topic) });
    await processInboxes();
    const rows = await Promise.all([
      prisma.shop.count({ where: { domain: shop } }),
      prisma.order.count({ where: { shop } }),
      prisma.customer.count({ where: { shop } }),
      prisma.webhookDelivery.count({ where: { shop } }),
    ]);
    expect(rows).toEqual([0, 0, 0, 0]);
  });

  it("drops deliveries of a shop the app does not hold: nothing is re-created after shop/redact", async () => {
    const shop = testShop("late");
    await recordInstall(shop, "read_customers");
    await post(
      webhookRequest({
        topic: "shop/redact",
        shop,
        payload: { ...sample("shop/redact"), shop_domain: shop },
      }),
    );
    await processInboxes();
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);

    // A late order, and a delivery for a shop that never installed the app.
    const stranger = testShop("stranger");
    for (const domain of [shop, stranger])
      expect(
        (
          await post(
            webhookRequest({
              topic: "orders/create",
              shop: domain,
              payload: sample("orders/create"),
            }),
          )
        ).status,
      ).toBe(200);
    await processInboxes();
    for (const domain of [shop, stranger]) {
      const rows = await Promise.all([
        prisma.order.count({ where: { shop: domain } }),
        prisma.customer.count({ where: { shop: domain } }),
        prisma.segment.count({ where: { shop: domain } }),
        prisma.webhookDelivery.count({ where: { shop: domain } }),
      ]);
      expect(rows).toEqual([0, 0, 0, 0]);
    }
  });

  it("refuses a signed body re-sent under other headers: a captured order never redacts", async () => {
    const shop = testShop("replay");
    const neighbour = testShop("replay-neighbour");
    const customerId = "gid://shopify/Customer/191167";
    for (const domain of [shop, neighbour]) {
      await recordInstall(domain, "read_customers");
      await prisma.customer.create({
        data: { shop: domain, id: customerId, createdAt: new Date(), updatedAt: new Date() },
      });
    }
    const order = { ...sample("orders/create"), customer: { id: 191167 } };
    const asRedact = await post(
      webhookRequest({ topic: "customers/redact", shop, payload: order }),
    );
    expect(asRedact.status).toBe(400);
    expect(await asRedact.text()).toMatch(/does not match its headers/);
    // A genuine shop/redact of one shop, re-sent with its neighbour's domain in the header.
    const captured = { ...sample("shop/redact"), shop_domain: shop };
    const asNeighbour = await post(
      webhookRequest({ topic: "shop/redact", shop: neighbour, payload: captured }),
    );
    expect(asNeighbour.status).toBe(400);
    await processInboxes();
    for (const domain of [shop, neighbour]) {
      expect(await prisma.customer.count({ where: { shop: domain } })).toBe(1);
      expect(await prisma.webhookDelivery.count({ where: { shop: domain } })).toBe(0);
    }
  });

  it("a topic without a handler is kept as failed, never dropped silently", async () => {
    const shop = testShop("unhandled");
    await recordInstall(shop, "read_customers");
    await post(webhookRequest({ topic: "segments/create", shop, payload: { id: 1 } }));
    await processInboxes();
    const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toContain("no handler");
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { action } from "~/routes/webhooks";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { type StandIn, generateStore, startStandIn } from "@persegment/shopify-stand-in";
import { shopProfile } from "~/shops/shop-profile.server";
import { processInboxes } from "../support/pipeline";
import { API_SECRET, installedShop } from "../support/shopify-requests";

// The stand-in's outgoing webhooks, delivered to the app's real webhook route and inbox.

const NOW = new Date("2026-11-01T00:00:00Z");

/** One Admin GraphQL call to the stand-in over real HTTP. */
async function adminGraphql(standIn: StandIn, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${standIn.origin}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "stand-in-token" },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
}

/** A local endpoint that hands each delivery, byte for byte, to the app's real webhook route. */
let appServer: Server;
let appUrl: string;
const statuses: number[] = [];
/** What reached the app, body included (a processed delivery keeps no body in the inbox). */
const arrivals: { topic: string; id: unknown; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  appServer = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk) => chunks.push(chunk));
    incoming.on("end", async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers))
        if (typeof value === "string") headers.set(name, value);
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString());
      arrivals.push({
        topic: String(incoming.headers["x-shopify-topic"]),
        id: parsed.id,
        body: parsed,
      });
      const request = new Request("https://my-test-app.myshopify.io/webhooks", {
        method: incoming.method,
        headers,
        body,
      });
      let status: number;
      try {
        status = (await action({ request, params: {}, context: {} })).status;
      } catch (thrown) {
        if (!(thrown instanceof Response)) throw thrown;
        status = thrown.status;
      }
      statuses.push(status);
      outgoing.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => appServer.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/webhooks`;
});
afterAll(() => new Promise<void>((resolve) => appServer.close(() => resolve())));

async function withStandIn(
  label: string,
  secret: string,
  run: (standIn: StandIn, shop: string) => Promise<void>,
) {
  const shop = await installedShop(label);
  const standIn = await startStandIn({
    shop,
    accessToken: "stand-in-token",
    apiSecret: secret,
    store: generateStore({ customers: 20, seed: 3, now: NOW }),
    webhooksTo: appUrl,
  });
  standIn.webhooks.configure({ retries: 1, retryDelayMs: 10 });
  try {
    await run(standIn, shop);
  } finally {
    await standIn.close();
  }
}

describe("outgoing webhooks", () => {
  it("a burst larger than the delivery concurrency is delivered in full", async () => {
    await withStandIn("stand-in-burst", API_SECRET, async (standIn, shop) => {
      standIn.webhooks.configure({ maxConcurrent: 3 });
      const ids = [...standIn.store.customers.keys()];
      for (const id of ids) standIn.store.updateCustomer(id, { firstName: `Burst ${id}` });
      await standIn.webhooks.flush();
      expect(standIn.webhooks.log.filter((d) => d.outcome === "delivered")).toHaveLength(
        ids.length,
      );
      expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(ids.length);
    });
  });

  it("are accepted by the app's webhook route (authenticate.webhook verifies the HMAC)", async () => {
    await withStandIn("stand-in-hooks", API_SECRET, async (standIn, shop) => {
      const customer = [...standIn.store.customers.values()][0];
      const variant = [...standIn.store.variants.values()][0];
      const order = standIn.store.createOrder({
        customerId: customer.id,
        lines: [{ variantId: variant.id, quantity: 2 }],
      });
      await standIn.webhooks.flush();
      const rows = await prisma.webhookDelivery.findMany({
        where: { shop },
        orderBy: { topic: "asc" },
      });
      expect(rows.map((row) => row.topic)).toEqual(["customers/update", "orders/create"]);
      const payload = arrivals.find((arrival) => arrival.id === order.id)!.body;
      expect(payload).toMatchObject({
        id: order.id,
        admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
        customer: { id: customer.id },
        line_items: [{ variant_id: variant.id, quantity: 2 }],
      });
      expect(standIn.webhooks.log.every((delivery) => delivery.outcome === "delivered")).toBe(true);
    });
  });

  it("tagsAdd through the API emits customer.tags_added and customers/update", async () => {
    await withStandIn("stand-in-tags", API_SECRET, async (standIn, shop) => {
      const customer = [...standIn.store.customers.values()][1];
      const id = `gid://shopify/Customer/${customer.id}`;
      await adminGraphql(
        standIn,
        `mutation($id: ID!) { tagsAdd(id: $id, tags: ["seg-loyal"]) { userErrors { message } } }`,
        { id },
      );
      await standIn.webhooks.flush();
      const rows = await prisma.webhookDelivery.findMany({ where: { shop } });
      const added = arrivals.find(
        (arrival) => arrival.topic === "customer.tags_added" && arrival.body.customerId === id,
      )!;
      expect(added.body).toMatchObject({ customerId: id, tags: ["seg-loyal"] });
      expect(rows.map((row) => row.topic).sort()).toEqual([
        "customer.tags_added",
        "customers/update",
      ]);
      // Both deliveries come from one action, so they share Shopify's event id.
      expect(new Set(rows.map((row) => row.eventId)).size).toBe(1);
    });
  });

  it("shop/update after the merchant changes time zone and currency: the admin follows", async () => {
    await withStandIn("stand-in-shop-update", API_SECRET, async (standIn, shop) => {
      standIn.updateShop({ ianaTimezone: "Europe/Berlin", currencyCode: "EUR" });
      await standIn.webhooks.flush();
      await processInboxes();
      expect(await shopProfile(shop)).toEqual({
        timeZone: "Europe/Berlin",
        currency: "EUR",
        fromShopify: true,
      });

      // A time zone Shopify would never send is refused for good and changes nothing.
      standIn.updateShop({ ianaTimezone: "Mars/Olympus_Mons" });
      await standIn.webhooks.flush();
      await processInboxes();
      expect((await shopProfile(shop)).timeZone).toBe("Europe/Berlin");
      const refused = await prisma.webhookDelivery.findFirst({
        where: { shop, topic: "shop/update", status: { not: "done" } },
      });
      expect(refused?.lastError).toMatch(/iana_timezone/);
    });
  });

  it("signed with another secret, they are refused with 401 and retried", async () => {
    statuses.length = 0;
    await withStandIn("stand-in-forged", "not-the-app-secret", async (standIn, shop) => {
      standIn.store.updateCustomer([...standIn.store.customers.keys()][0], { tags: ["x"] });
      await standIn.webhooks.flush();
      expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
      const delivery = standIn.webhooks.log.find((d) => d.topic === "customers/update")!;
      expect(delivery.outcome).toBe("failed");
      expect(delivery.statuses).toEqual([401, 401]);
    });
  });

  it("drop, duplicate and reorder switches change deliveries as asked", async () => {
    await withStandIn("stand-in-switches", API_SECRET, async (standIn, shop) => {
      const ids = [...standIn.store.customers.keys()];
      standIn.webhooks.dropNext(1);
      standIn.store.updateCustomer(ids[0], { firstName: "Dropped" });
      standIn.webhooks.duplicateNext(1);
      standIn.store.updateCustomer(ids[1], { firstName: "Twice" });
      await standIn.webhooks.flush();
      const log = standIn.webhooks.log.filter((d) => d.topic === "customers/update");
      expect(log.map((d) => d.outcome)).toEqual(["dropped", "delivered", "delivered"]);
      expect(log[1].webhookId).toBe(log[2].webhookId);
      // The app's inbox keeps one row for the duplicated delivery, none for the dropped one.
      expect(
        await prisma.webhookDelivery.count({ where: { shop, topic: "customers/update" } }),
      ).toBe(1);

      standIn.webhooks.configure({ reorder: true });
      arrivals.length = 0;
      for (const id of ids.slice(2, 12))
        standIn.store.updateCustomer(id, { firstName: `Order ${id}` });
      await standIn.webhooks.flush();
      const arrival = arrivals.map((delivery) => delivery.id);
      expect(arrival).toHaveLength(10);
      expect(arrival).not.toEqual(ids.slice(2, 12));
      expect([...arrival].sort()).toEqual([...ids.slice(2, 12)].sort());

      // pause() holds deliveries (a delayed Shopify); flush() does not wait for them; resume() sends.
      standIn.webhooks.configure({ reorder: false });
      standIn.webhooks.pause();
      arrivals.length = 0;
      standIn.store.updateCustomer(ids[12], { firstName: "Held" });
      await standIn.webhooks.flush();
      expect(arrivals).toEqual([]);
      standIn.webhooks.resume();
      await standIn.webhooks.flush();
      expect(arrivals).toMatchObject([{ topic: "customers/update", id: ids[12] }]);
      expect(arrivals).toHaveLength(1);

      standIn.webhooks.configure({ delayMs: 150 });
      const changedAt = Date.now();
      standIn.store.updateCustomer(ids[13], { firstName: "Late" });
      await standIn.webhooks.flush();
      expect(Date.now() - changedAt).toBeGreaterThanOrEqual(150);
      expect(arrivals.at(-1)).toMatchObject({ topic: "customers/update", id: ids[13] });
    });
  });
});

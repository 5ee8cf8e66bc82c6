// Nothing personal is kept longer than needed: processed webhook bodies are dropped, failed ones
// after a few days; after customers/redact no row anywhere names the customer (the inbox
// included); customers/data_request writes a file of everything held about the customer.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordShopLocale } from "~/models/shop.server";
import { dropOldFailedBodies, recordDelivery } from "~/models/webhook-inbox.server";
import { refreshPredictions } from "~/predictions/refresh.server";
import { action } from "~/routes/webhooks";
import { recomputeShop } from "~/segments/recompute.server";
import { responseOf } from "../support/responses";
import { webhookSample as sample } from "../support/shopify-reference";
import { installedShop, webhookRequest } from "../support/shopify-requests";
import { everythingHeldFor } from "../support/held-rows";
import { processInboxes } from "../support/pipeline";

const post = (request: Request) => responseOf(() => action({ request, params: {}, context: {} }));
const DAY = 86_400_000;

/** A customer with one order, scored into segments and predicted. */
async function customerWithOrder(shop: string, numericId: string, now = new Date()) {
  const customerId = `gid://shopify/Customer/${numericId}`;
  await prisma.customer.create({ data: { shop, id: customerId, createdAt: now, updatedAt: now } });
  await prisma.order.create({
    data: {
      shop,
      id: "gid://shopify/Order/9",
      name: "#9",
      customerId,
      createdAt: now,
      processedAt: now,
      updatedAt: now,
      totalCents: 1000n,
    },
  });
  await recomputeShop(shop, { asOf: now });
  await recordShopLocale(shop, { ianaTimezone: "UTC", currencyCode: "USD" });
  await refreshPredictions(shop, { asOf: now });
  return customerId;
}

describe("webhook bodies", () => {
  it("a processed delivery keeps its id for idempotency and no body", async () => {
    const shop = await installedShop("body-done");
    await post(
      webhookRequest({ topic: "customers/update", shop, payload: sample("customers/update") }),
    );
    await processInboxes();
    const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(row.status).toBe("done");
    expect(row.payload).toBe("");
  });

  it("a failed delivery keeps its body for a week, then loses it", async () => {
    const shop = await installedShop("body-failed");
    await post(webhookRequest({ topic: "segments/create", shop, payload: { id: 1, name: "x" } }));
    await processInboxes();
    const failed = await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } });
    expect(failed.status).toBe("failed");
    expect(failed.payload).toContain("name");
    await dropOldFailedBodies(new Date(Date.now() + 6 * DAY));
    expect((await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } })).payload).not.toBe(
      "",
    );
    await dropOldFailedBodies(new Date(Date.now() + 8 * DAY));
    expect((await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } })).payload).toBe("");
  });
});

describe("customers/redact", () => {
  it("customers/redact removes the customer, unlinks their orders and shrinks their segments", async () => {
    const shop = await installedShop("customer-redact");
    const payload = { ...sample("customers/redact"), shop_domain: shop };
    const now = new Date();
    const customerId = await customerWithOrder(shop, String(payload.customer.id), now);
    const joined = await prisma.segmentMember.findMany({ where: { shop, customerId } });
    expect(joined.length).toBeGreaterThan(0);
    expect(await prisma.customerPrediction.count({ where: { shop, customerId } })).toBe(1);
    const sizes = () =>
      prisma.segment.findMany({
        where: { id: { in: joined.map((member) => member.segmentId) } },
        select: { memberCount: true },
      });
    expect((await sizes()).map((segment) => segment.memberCount)).toEqual(joined.map(() => 1));

    await post(webhookRequest({ topic: "customers/redact", shop, payload }));
    await processInboxes();
    expect(await prisma.customer.count({ where: { shop } })).toBe(0);
    expect((await prisma.order.findFirstOrThrow({ where: { shop } })).customerId).toBeNull();
    expect((await sizes()).map((segment) => segment.memberCount)).toEqual(joined.map(() => 0));
    const today = await prisma.segmentDailyStat.findMany({
      where: { shop, day: now.toISOString().slice(0, 10) },
    });
    expect(today.every((stat) => stat.members === 0 && stat.revenueCents === 0n)).toBe(true);
    // Every row keyed by the customer is gone, and the delivery is done (not retried).
    const keyed = { where: { shop, customerId } };
    expect(await prisma.segmentMember.count(keyed)).toBe(0);
    expect(await prisma.segmentEvent.count(keyed)).toBe(0);
    expect(await prisma.customerPrediction.count(keyed)).toBe(0);
    expect((await prisma.webhookDelivery.findFirstOrThrow({ where: { shop } })).status).toBe(
      "done",
    );
  });

  it("leaves no row that names the customer, the inbox included", async () => {
    const shop = await installedShop("redact-all");
    const redact = { ...sample("customers/redact"), shop_domain: shop };
    const numericId = String(redact.customer.id);
    const customerId = await customerWithOrder(shop, numericId);
    const email = redact.customer.email as string;
    const before = await everythingHeldFor(shop);
    expect(
      before.some((row) => row.startsWith("CustomerPrediction") && row.includes(numericId)),
    ).toBe(true);

    await post(webhookRequest({ topic: "customers/redact", shop, payload: redact }));
    // Deliveries about the customer that arrive while the redaction waits in the inbox.
    const update = {
      ...sample("customers/update"),
      id: Number(numericId),
      admin_graphql_api_id: customerId,
      email,
    };
    const order = {
      ...sample("orders/create"),
      email,
      customer: { id: Number(numericId), admin_graphql_api_id: customerId, email },
    };
    await recordDelivery({
      webhookId: `late-update-${shop}`,
      shop,
      topic: "customers/update",
      payload: update,
    });
    await recordDelivery({
      webhookId: `late-order-${shop}`,
      shop,
      topic: "orders/create",
      payload: order,
    });
    await processInboxes();

    const held = await everythingHeldFor(shop);
    expect(held.filter((row) => row.includes(numericId) || row.includes(email))).toEqual([]);
    // The order stays the shop's, without its customer.
    expect(await prisma.order.count({ where: { shop, customerId: null } })).toBeGreaterThan(0);
  });
});

describe("customers/data_request", () => {
  it("writes a file of everything held about the customer", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "persegment-data-requests-"));
    process.env.DATA_REQUESTS_DIR = folder;
    try {
      const shop = await installedShop("data-request");
      const request = { ...sample("customers/data_request"), shop_domain: shop };
      const customerId = await customerWithOrder(shop, String(request.customer.id));
      await post(webhookRequest({ topic: "customers/data_request", shop, payload: request }));
      await processInboxes();

      const files = readdirSync(path.join(folder, shop));
      expect(files).toEqual([`${request.customer.id}-request-${request.data_request.id}.json`]);
      const document = JSON.parse(readFileSync(path.join(folder, shop, files[0]), "utf8"));
      expect(document.customerId).toBe(customerId);
      expect(document.records.Customer).toHaveLength(1);
      expect(document.records.Order.map((o: { id: string }) => o.id)).toEqual([
        "gid://shopify/Order/9",
      ]);
      expect(document.records.SegmentMember.length).toBeGreaterThan(0);
      expect(document.records.SegmentEvent.length).toBeGreaterThan(0);
      expect(document.records.CustomerPrediction).toHaveLength(1);
    } finally {
      delete process.env.DATA_REQUESTS_DIR;
    }
  });
});

describe("shop/redact", () => {
  it("removes the shop's predictions, the fit included, and no other shop's", async () => {
    const shop = await installedShop("predictions-redact");
    const neighbour = await installedShop("predictions-neighbour");
    for (const domain of [shop, neighbour]) await customerWithOrder(domain, "77");
    await post(
      webhookRequest({
        topic: "shop/redact",
        shop,
        payload: { ...sample("shop/redact"), shop_domain: shop },
      }),
    );
    await processInboxes();
    expect(await everythingHeldFor(shop)).toEqual([]);
    expect(await prisma.predictionFit.count({ where: { shop: neighbour } })).toBe(1);
    expect(await prisma.customerPrediction.count({ where: { shop: neighbour } })).toBe(1);
  });
});

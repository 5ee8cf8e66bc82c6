import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { measureSegments } from "~/models/segment-sizes.server";
import { action } from "~/routes/webhooks";
import { listSegmentOverview, rfmMovement, segmentChangesSince } from "~/segments/overview.server";
import { recomputeShop } from "~/segments/recompute.server";
import { responseOf } from "../../support/responses";
import { installedShop, orderWebhookPayload, webhookRequest } from "../../support/shopify-requests";
import { customerGid, insertCustomers, insertOrders, orderGid } from "../../support/store-rows";
import { processInboxes } from "../../support/pipeline";

const DAY = 86_400_000;

describe("segments follow processed webhooks", () => {
  it("shows customers leaving Champions after other customers' new orders, in the history", async () => {
    const shop = await installedShop("history");
    const now = Date.now();
    // Ten buyers: customers 1-2 are champions (recent, frequent, big); 3-10 are older and smaller;
    // customer 11 has not ordered yet (a prospect).
    await insertCustomers(
      shop,
      Array.from({ length: 11 }, (_, i) => ({ id: customerGid(i + 1) })),
    );
    await insertOrders(
      shop,
      Array.from({ length: 10 }, (_, i) =>
        Array.from({ length: i < 2 ? 5 : 1 }, (_, k) => ({
          id: orderGid((i + 1) * 100 + k),
          customerId: customerGid(i + 1),
          processedAt: new Date(now - (i < 2 ? 1 + k : 60 + i * 10) * DAY),
          totalCents: i < 2 ? 50_000 : 1_000,
        })),
      ).flat(),
    );
    const before = new Date(now - 60_000);
    await recomputeShop(shop, { asOf: before });
    const champions = await prisma.segment.findUniqueOrThrow({
      where: { shop_handle: { shop, handle: "champions" } },
    });
    expect(champions.memberCount).toBe(2);

    // Customer 1's latest orders are cancelled in Shopify: the orders/cancelled webhooks arrive.
    for (const k of [0, 1, 2, 3]) {
      const id = 100 + k;
      const payload = {
        ...orderWebhookPayload(id, 1, new Date(now - (1 + k) * DAY), "500.00"),
        cancelled_at: new Date(now - 1000).toISOString(),
        updated_at: new Date(now - 1000 + k).toISOString(),
      };
      const response = await responseOf(() =>
        action({
          request: webhookRequest({ topic: "orders/cancelled", shop, payload }),
          params: {},
          context: {},
        }),
      );
      expect(response.status).toBe(200);
    }
    // And customer 11 places a first order (orders/create).
    const response = await responseOf(() =>
      action({
        request: webhookRequest({
          topic: "orders/create",
          shop,
          payload: orderWebhookPayload(9001, 11, new Date(now - 5000), "20.00"),
        }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBe(200);
    await processInboxes();
    const failed = await prisma.webhookDelivery.findMany({
      where: { shop, status: { not: "done" } },
    });
    expect(failed).toEqual([]);

    const after = await prisma.customer.findUniqueOrThrow({
      where: { shop_id: { shop, id: customerGid(1) } },
    });
    expect(after.orders).toBe(1);
    expect(after.rfmGroup).not.toBe("champions");

    const overview = await listSegmentOverview(shop);
    const championsNow = overview.segments.find((segment) => segment.handle === "champions")!;
    expect(championsNow).toMatchObject({ members: 1, leftThisWeek: 1 });
    // The list reads sizes, revenue and orders kept up to date by each change: they equal a
    // measurement of the members now, for every segment.
    const measured = await measureSegments(
      shop,
      overview.segments.map((segment) => segment.id),
    );
    expect(
      overview.segments.map(({ id, members, revenueCents, aovCents }) => ({
        id,
        members,
        revenueCents,
        aovCents,
      })),
    ).toEqual(
      measured.map(({ segmentId, members, revenueCents, orders }) => ({
        id: segmentId,
        members,
        revenueCents: revenueCents.toString(),
        aovCents: orders ? (revenueCents / BigInt(orders)).toString() : null,
      })),
    );
    const movement = await rfmMovement(shop, new Date(now - 7 * DAY));
    expect(movement).toContainEqual({ from: "champions", to: after.rfmGroup, customers: 1 });
    expect(movement).toContainEqual({ from: "prospects", to: expect.any(String), customers: 1 });

    const changes = await segmentChangesSince(shop, new Date(now - 30_000));
    expect([...(changes.get(champions.id)?.left ?? [])]).toEqual([customerGid(1)]);
    const today = new Date().toISOString().slice(0, 10);
    const stat = await prisma.segmentDailyStat.findUnique({
      where: { segmentId_day: { segmentId: champions.id, day: today } },
    });
    expect(stat?.members).toBe(1);
  });
});

// The app's own tag writes come back as webhooks (customer.tags_added, customers/update): they
// change nothing and cause no further writes. A merchant removing an app tag is recorded and
// respected. Deliveries go through the real webhook route, inbox and handlers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { createAdminGateway, type AdminGateway } from "~/shopify/gateway.server";
import { applyShopTags } from "~/tags/apply.server";
import { tagsOverview } from "~/tags/overview.server";
import { startStandIn, Store, type StoreChange } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { customerGid, ledgerOf, setMembers } from "./fixtures";
import { deliverThroughWebhookRoute } from "../../support/pipeline";

const shop = testShop("tags-echo-hooks");
let standIn: Awaited<ReturnType<typeof startStandIn>>;
let gateway: AdminGateway;
const ids: number[] = [];
let changes: StoreChange[] = [];

async function deliverAll() {
  const batch = changes;
  changes = [];
  await deliverThroughWebhookRoute(shop, batch);
  const failed = await prisma.webhookDelivery.findMany({
    where: { shop, status: { not: "done" } },
  });
  expect(failed.map((d) => `${d.topic}: ${d.lastError}`)).toEqual([]);
  return batch;
}

beforeAll(async () => {
  const store = new Store({
    name: "Echo",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  for (let i = 0; i < 8; i++)
    // The merchant's own "club" tag defines the segment, so recomputes triggered by the echoes
    // keep the same members (a flapping membership would show up as new writes).
    ids.push(
      store.createCustomer({ tags: i < 5 ? ["club"] : i === 5 ? ["seg-club-lookalike"] : [] }).id,
    );
  store.subscribe((change) => changes.push(change));
  standIn = await startStandIn({ shop, accessToken: "echo", apiSecret: "testApiSecretKey", store });
  gateway = createAdminGateway({ shop, accessToken: "echo", origin: standIn.origin });
  await recordInstall(shop, "");
  const long = new Date("2020-01-01T00:00:00Z");
  await prisma.customer.createMany({
    data: ids.map((n) => ({
      shop,
      id: customerGid(n),
      createdAt: long,
      updatedAt: long,
      tags: store.customers.get(n)!.tags.join(", "),
    })),
  });
});

afterAll(async () => {
  await standIn?.close();
});

describe("echo guard", () => {
  it("takes the app's own tag writes coming back as echoes: no ledger change, no further writes", async () => {
    const club = await prisma.segment.create({
      data: {
        shop,
        handle: "club",
        name: "Club",
        kind: "custom",
        rule: JSON.stringify({ field: "tags", op: "has_any", value: ["club"] }),
        tagEnabled: true,
      },
    });
    await setMembers(shop, club.id, ids.slice(0, 5));
    const first = await applyShopTags(gateway, shop, { strategy: "paced" });
    expect(first.customers).toBe(5);
    const ledgerBefore = await ledgerOf(shop);

    const echoes = await deliverAll();
    expect(new Set(echoes.map((e) => e.topic))).toEqual(
      new Set(["customer.tags_added", "customers/update"]),
    );
    expect(await ledgerOf(shop)).toEqual(ledgerBefore);
    // Sync stored the echoed tags; the next run sees nothing to do.
    const stored = await prisma.customer.findUniqueOrThrow({
      where: { shop_id: { shop, id: customerGid(ids[1]) } },
    });
    expect(stored.tags).toContain("seg-club");
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);

    // Shopify may deliver the same echo twice or late: still nothing changes.
    changes = echoes;
    await deliverAll();
    expect(await ledgerOf(shop)).toEqual(ledgerBefore);
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
  });

  it("records a merchant's removal of an app tag and does not put it back", async () => {
    standIn.store.removeCustomerTags(ids[1], ["seg-club"]);
    await deliverAll();
    expect(await ledgerOf(shop)).toContain(`${ids[1]} seg-club merchant-removed`);

    const run = await applyShopTags(gateway, shop);
    expect(run.apiCalls).toBe(0);
    expect(run.merchantRemovedKept).toBe(1);
    expect(standIn.store.customers.get(ids[1])!.tags).not.toContain("seg-club");
    const overview = await tagsOverview(shop);
    expect(overview.merchantRemoved).toEqual([
      expect.objectContaining({ customerId: customerGid(ids[1]), tag: "seg-club" }),
    ]);
    expect(overview.segments.find((s) => s.handle === "club")!.ledger).toMatchObject({
      applied: 4,
      "merchant-removed": 1,
    });

    // A merchant's own tag changes are not echoes and are never written back by the app.
    standIn.store.updateCustomer(ids[2], {
      tags: [...standIn.store.customers.get(ids[2])!.tags, "gift"],
    });
    await deliverAll();
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
    expect(standIn.store.customers.get(ids[2])!.tags).toEqual(["club", "seg-club", "gift"]);
  });
});

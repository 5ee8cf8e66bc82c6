// The Tags page's buttons against the stand-in: write tags, create the Shopify segment, remove all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { action, loader } from "~/routes/app.tags";
import { startStandIn, Store, type StandIn } from "@persegment/shopify-stand-in";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { createCustomers, createSegment, setMembers } from "./fixtures";

const shop = testShop("tags-actions");
let standIn: StandIn;
const ids: number[] = [];
const previousOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN;

async function post(fields: Record<string, string>) {
  const signed = await adminRequest(shop, "/app/tags");
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return action({
    request: new Request(signed.url, { method: "POST", body }),
    params: {},
    context: {},
  });
}

beforeAll(async () => {
  const store = new Store({
    name: "A",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  for (let i = 0; i < 3; i++)
    ids.push(
      store.createCustomer({ tags: i === 0 ? ["seg-vip-2023"] : [], marketingState: "SUBSCRIBED" })
        .id,
    );
  standIn = await startStandIn({ shop, accessToken: "a", apiSecret: "testApiSecretKey", store });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = standIn.origin;
  await storeOfflineSession(shop);
  await recordInstall(shop, "write_customers");
  // The offline token the app uses for Admin calls (the stand-in's).
  await saveOfflineToken(shop, "a", "write_customers");
  await createCustomers(
    shop,
    ids.map((n) => ({ n, emailMarketingState: "SUBSCRIBED" })),
  );
});

afterAll(async () => {
  process.env.SHOPIFY_ADMIN_API_ORIGIN = previousOrigin;
  await standIn?.close();
});

describe("Tags page actions", () => {
  it("writes tags, creates the Shopify segment once, and removes all app tags", async () => {
    const vip = await createSegment(shop, "vip");
    await setMembers(shop, vip.id, ids);

    const written = await post({ intent: "apply" });
    expect(written).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Added 3 and removed 0 tags for 3 customers/),
    });
    expect(ids.map((n) => standIn.store.customers.get(n)!.tags.at(-1))).toEqual([
      "seg-vip",
      "seg-vip",
      "seg-vip",
    ]);

    expect(await post({ intent: "publish", segmentId: vip.id })).toMatchObject({
      ok: true,
      message: 'Created "Persegment: vip" — pick it in Shopify Email.',
    });
    expect(await post({ intent: "publish", segmentId: vip.id })).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Already in Shopify/),
    });
    const page = await loader({
      request: await adminRequest(shop, "/app/tags"),
      params: {},
      context: {},
    });
    expect(page.segments.find((s) => s.handle === "vip")).toMatchObject({
      subscribed: 3,
      shopifySegmentId: expect.stringMatching(/^gid:\/\/shopify\/Segment\//),
      ledger: { applied: 3 },
    });

    expect(await post({ intent: "remove-all" })).toMatchObject({
      ok: true,
      message: expect.stringMatching(/removed 3 app tags/),
    });
    expect(ids.map((n) => standIn.store.customers.get(n)!.tags)).toEqual([
      ["seg-vip-2023"],
      [],
      [],
    ]);
    expect((await prisma.segment.findUniqueOrThrow({ where: { id: vip.id } })).tagEnabled).toBe(
      false,
    );
  });
});

import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { action, loader } from "~/routes/app.tags";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { createCustomers, createSegment, customerGid, setMembers } from "./fixtures";

async function post(shop: string, fields: Record<string, string>) {
  const signed = await adminRequest(shop, "/app/tags");
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return action({
    request: new Request(signed.url, { method: "POST", body }),
    params: {},
    context: {},
  });
}

describe("Tags page", () => {
  it("shows each segment's tag, switch, email reach and a preview of the next write", async () => {
    const shop = testShop("tags-page");
    await storeOfflineSession(shop);
    await recordInstall(shop, "");
    await createCustomers(shop, [
      { n: 1, emailMarketingState: "SUBSCRIBED" },
      { n: 2 },
      { n: 3, tags: ["seg-vip"] },
    ]);
    const vip = await createSegment(shop, "vip");
    await createSegment(shop, "repeat", false);
    await setMembers(shop, vip.id, [1, 2, 3]);

    const page = await loader({
      request: await adminRequest(shop, "/app/tags"),
      params: {},
      context: {},
    });
    const row = page.segments.find((s) => s.handle === "vip")!;
    expect(row).toMatchObject({ tag: "seg-vip", tagEnabled: true, subscribed: 1, tagError: null });
    expect(page.segments.find((s) => s.handle === "repeat")).toMatchObject({
      tagEnabled: false,
      subscribed: null,
    });
    expect(page.preview).toMatchObject({ customers: 2, adds: 2, removes: 0, merchantOwned: 1 });
    expect(page.preview.sample.map((c) => c.customerId)).toEqual([customerGid(1), customerGid(2)]);
  });

  it("turns tagging on and off, and refuses an invalid tag with a clear message", async () => {
    const shop = testShop("tags-switch");
    await storeOfflineSession(shop);
    await recordInstall(shop, "");
    const repeat = await createSegment(shop, "repeat", false);
    const broken = await createSegment(shop, "bad,handle", false);

    expect(await post(shop, { intent: "enable", segmentId: repeat.id })).toMatchObject({
      ok: true,
    });
    expect((await prisma.segment.findUniqueOrThrow({ where: { id: repeat.id } })).tagEnabled).toBe(
      true,
    );
    expect(await post(shop, { intent: "disable", segmentId: repeat.id })).toMatchObject({
      ok: true,
    });
    expect((await prisma.segment.findUniqueOrThrow({ where: { id: repeat.id } })).tagEnabled).toBe(
      false,
    );

    const refused = await post(shop, { intent: "enable", segmentId: broken.id });
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/comma/) });
    expect((await prisma.segment.findUniqueOrThrow({ where: { id: broken.id } })).tagEnabled).toBe(
      false,
    );
    expect(await post(shop, { intent: "publish", segmentId: repeat.id })).toEqual({
      ok: false,
      error: expect.stringMatching(/Turn on "Tag customers"/),
    });
  });
});

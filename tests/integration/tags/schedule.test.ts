import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { shopsWithTagging, writeTagsIfChanged } from "~/tags/jobs.server";
import { startStandIn, Store, type StandIn } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { createCustomers, createSegment, setMembers } from "./fixtures";

const shop = testShop("tags-schedule");
let standIn: StandIn;
const ids: number[] = [];
const previousOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN;

beforeAll(async () => {
  const store = new Store({
    name: "S",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  for (let i = 0; i < 4; i++) ids.push(store.createCustomer().id);
  standIn = await startStandIn({ shop, accessToken: "s", apiSecret: "testApiSecretKey", store });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = standIn.origin;
  await recordInstall(shop, "write_customers");
  await saveOfflineToken(shop, "s", "write_customers");
  await createCustomers(
    shop,
    ids.map((n) => ({ n })),
  );
});

afterAll(async () => {
  process.env.SHOPIFY_ADMIN_API_ORIGIN = previousOrigin;
  await standIn?.close();
});

describe("scheduled tag writes", () => {
  it("writes shops whose memberships changed and leaves quiet shops without a call", async () => {
    const vip = await createSegment(shop, "vip");
    await setMembers(shop, vip.id, ids.slice(0, 2));
    expect(await shopsWithTagging()).toContain(shop);
    expect(await writeTagsIfChanged(shop)).toMatchObject({ adds: 2, removes: 0, failures: [] });
    expect(standIn.store.customers.get(ids[0])!.tags).toEqual(["seg-vip"]);

    expect(await writeTagsIfChanged(shop)).toBeNull();

    await setMembers(shop, vip.id, ids.slice(1, 3));
    expect(await writeTagsIfChanged(shop)).toMatchObject({
      adds: 1,
      removes: 1,
      apiCalls: 2,
    });
    expect(ids.map((n) => standIn.store.customers.get(n)!.tags)).toEqual([
      [],
      ["seg-vip"],
      ["seg-vip"],
      [],
    ]);

    // An uninstalled shop is left alone (its tags are removed by "remove all app tags" instead).
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: new Date() } });
    expect(await shopsWithTagging()).not.toContain(shop);
  });
});

// Per-customer failures, paced and bulk: reported with the customer and Shopify's message; a
// customer deleted in Shopify is settled (never retried); anything else stays pending and is
// retried by the next run, while every other customer is written exactly.
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { applyShopTags } from "~/tags/apply.server";
import { startStandIn, Store } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { createCustomers, createSegment, customerGid, ledgerOf, setMembers } from "./fixtures";

describe.each(["paced", "bulk"] as const)("%s writes with failing customers", (strategy) => {
  it("reports each failure, settles deleted customers and writes everyone else exactly", async () => {
    const shop = testShop(`tags-fail-${strategy}`);
    const store = new Store({
      name: "F",
      domain: shop,
      currencyCode: "USD",
      ianaTimezone: "UTC",
      plusPlan: false,
    });
    const full = Array.from({ length: 249 }, (_, i) => `merchant-${i}`);
    const ids = [0, 1, 2, 3].map((i) => store.createCustomer({ tags: i === 2 ? full : [] }).id);
    const standIn = await startStandIn({
      shop,
      accessToken: "f",
      apiSecret: "testApiSecretKey",
      store,
    });
    try {
      const gateway = createAdminGateway({ shop, accessToken: "f", origin: standIn.origin });
      await recordInstall(shop, "");
      await createCustomers(
        shop,
        ids.map((n) => ({ n })),
      );
      const vip = await createSegment(shop, "vip");
      const repeat = await createSegment(shop, "repeat");
      await setMembers(shop, vip.id, ids);
      await setMembers(shop, repeat.id, ids);
      store.deleteCustomer(ids[1]); // deleted in Shopify before sync caught up

      const report = await applyShopTags(gateway, shop, { strategy, bulk: { pollMs: 20 } });
      expect(report.strategy).toBe(strategy);
      const byCustomer = new Map(report.failures.map((f) => [f.customerId, f]));
      expect([...byCustomer.keys()].sort()).toEqual(
        [customerGid(ids[1]), customerGid(ids[2])].sort(),
      );
      expect(byCustomer.get(customerGid(ids[1]))).toMatchObject({
        gone: true,
        message: expect.stringMatching(/does not exist/),
      });
      expect(byCustomer.get(customerGid(ids[2]))).toMatchObject({
        gone: false,
        tags: ["seg-repeat", "seg-vip"],
        message: expect.stringMatching(/more than 250/),
      });
      for (const n of [ids[0], ids[3]])
        expect(store.customers.get(n)!.tags).toEqual(["seg-repeat", "seg-vip"]);
      expect(store.customers.get(ids[2])!.tags).toEqual(full);
      expect(await ledgerOf(shop)).toEqual(
        [
          `${ids[0]} seg-repeat applied`,
          `${ids[0]} seg-vip applied`,
          `${ids[1]} seg-repeat removed`,
          `${ids[1]} seg-vip removed`,
          `${ids[2]} seg-repeat pending-add`,
          `${ids[2]} seg-vip pending-add`,
          `${ids[3]} seg-repeat applied`,
          `${ids[3]} seg-vip applied`,
        ].sort(),
      );

      // Sync applies customers/delete and the recompute drops the memberships (until then a
      // run would try the deleted customer again, one call, reported as gone).
      await prisma.segmentMember.deleteMany({ where: { shop, customerId: customerGid(ids[1]) } });
      await prisma.customer.deleteMany({ where: { shop, id: customerGid(ids[1]) } });
      // Once the merchant makes room, the next run finishes the job with one call.
      store.updateCustomer(ids[2], { tags: full.slice(0, 100) });
      const retry = await applyShopTags(gateway, shop);
      expect(retry).toMatchObject({ failures: [], apiCalls: 1, customers: 1 });
      expect(store.customers.get(ids[2])!.tags.slice(-2)).toEqual(["seg-repeat", "seg-vip"]);
      expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
    } finally {
      await standIn.close();
    }
  });
});

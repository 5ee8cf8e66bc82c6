// "Remove everything Persegment wrote to your store" against the Shopify stand-in: the dry run
// reports exactly what the app wrote and changes nothing; the run leaves no app tag, Shopify
// segment or metafield and nothing else touched; a second run does nothing; a run that stops
// part-way is finished by the next one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { cleanUpStore } from "~/cleanup/store-cleanup.server";
import { storefrontPublishingPaused } from "~/models/shop.server";
import { ShopifyApiError, type AdminGateway } from "~/shopify/gateway.server";
import { republish } from "~/storefront/admin.server";
import { applyShopTags } from "~/tags/apply.server";
import { setTagging } from "~/tags/setup.server";
import type { StandIn } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import {
  appMetafields,
  customerGid,
  MERCHANT_SEGMENT,
  startDirtyStore,
  storeSnapshot,
} from "./fixtures";

const shop = testShop("cleanup");
const accessToken = "cleanup-token";
const previousOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN;
let standIn: StandIn;
let gateway: AdminGateway;
let ids: number[];
let written: Awaited<ReturnType<typeof startDirtyStore>>["written"];

/** App tags still on customers in Shopify: ledger pairs whose tag the customer carries. */
async function appTagsInShopify() {
  const rows = await prisma.tagLedger.findMany({ where: { shop } });
  return rows.filter((row) =>
    standIn.store.customers
      .get(Number(row.customerId.split("/").pop()))!
      .tags.some((tag) => tag.toLowerCase() === row.tag.toLowerCase()),
  ).length;
}

beforeAll(async () => {
  ({ standIn, ids, gateway, written } = await startDirtyStore(shop, accessToken));
  process.env.SHOPIFY_ADMIN_API_ORIGIN = standIn.origin;
});

afterAll(async () => {
  process.env.SHOPIFY_ADMIN_API_ORIGIN = previousOrigin;
  await standIn?.close();
});

describe("remove everything the app wrote", () => {
  it("dry run: reports exactly the app's tags, segments and metafields, and changes nothing", async () => {
    expect(await appTagsInShopify()).toBe(written.appTags);
    const before = storeSnapshot(standIn, ids);

    const report = await cleanUpStore(gateway, shop, { dryRun: true });

    expect(report.planned.tags).toMatchObject({
      removals: written.appTags,
      customers: 4,
      byTag: [
        { tag: "seg-vip", customers: 3 },
        { tag: "seg-lapsed", customers: 2 },
      ],
    });
    expect(report.planned.tags.sample.map((s) => s.customerId)).not.toContain(customerGid(ids[0]));
    expect(report.planned.shopifySegments.count).toBe(2);
    expect(report.planned.shopifySegments.sample.map((s) => s.name).sort()).toEqual([
      "Persegment: lapsed",
      "Persegment: vip",
    ]);
    expect(report.planned.metafields).toMatchObject({ shop: 1, products: written.upsellProducts });
    expect(report.removed).toEqual({ tags: 0, shopifySegments: 0, metafields: 0 });

    expect(storeSnapshot(standIn, ids)).toEqual(before);
    expect(await prisma.segment.count({ where: { shop, tagEnabled: true } })).toBe(2);
    expect(await storefrontPublishingPaused(shop)).toBe(false);
  });

  it("removes them all, touches nothing else, and stops the writers from putting them back", async () => {
    const report = await cleanUpStore(gateway, shop);
    expect(report.tagFailures).toEqual([]);
    expect(report.segmentFailures).toEqual([]);
    expect(report.removed).toEqual({
      tags: written.appTags,
      shopifySegments: 2,
      metafields: written.upsellProducts + 1,
    });

    expect(await appTagsInShopify()).toBe(0);
    // Merchant tags, and the look-alikes the app never wrote, are where they were.
    expect(storeSnapshot(standIn, ids).tags).toEqual([
      ["seg-vip"],
      ["wholesale"],
      [],
      ["seg-champions"],
      ["newsletter"],
      [],
    ]);
    expect([...standIn.store.segments.values()].map((s) => s.name)).toEqual([MERCHANT_SEGMENT]);
    expect(appMetafields(standIn)).toEqual([]);
    expect(standIn.store.metafields.size).toBe(1); // the merchant's custom.care

    expect(await prisma.segment.count({ where: { shop, tagEnabled: true } })).toBe(0);
    expect(await prisma.segment.count({ where: { shop, shopifySegmentId: { not: null } } })).toBe(
      0,
    );
    expect(await prisma.publishedMetafield.count({ where: { shop } })).toBe(0);
    expect(await prisma.tagLedger.count({ where: { shop, state: { not: "removed" } } })).toBe(0);

    // The tag writer has nothing to write; a background storefront refresh publishes nothing.
    expect((await applyShopTags(gateway, shop)).apiCalls).toBe(0);
    expect(await republish(shop, new Date(), { background: true })).toMatchObject({
      published: false,
      paused: true,
    });
    expect(appMetafields(standIn)).toEqual([]);
  });

  it("a second run finds nothing and makes no Shopify call", async () => {
    const before = storeSnapshot(standIn, ids);
    const report = await cleanUpStore(gateway, shop);
    expect(report.planned.nothingToRemove).toBe(true);
    expect(report.removed).toEqual({ tags: 0, shopifySegments: 0, metafields: 0 });
    expect(report.apiCalls).toBe(0);
    expect(storeSnapshot(standIn, ids)).toEqual(before);
  });

  it("a run that stops part-way is finished by the next run", async () => {
    // The merchant turns things on again: tags written, storefront published, by hand.
    const [vip] = await prisma.segment.findMany({ where: { shop, handle: "vip" } });
    await setTagging(shop, vip.id, true);
    await applyShopTags(gateway, shop);
    expect(await republish(shop)).toMatchObject({ published: true });
    expect(await storefrontPublishingPaused(shop)).toBe(false);
    expect(appMetafields(standIn)).toHaveLength(written.upsellProducts + 1);
    expect(await appTagsInShopify()).toBe(3);

    // Shopify goes away after the first metafieldsDelete batch.
    let deletes = 0;
    const failing: AdminGateway = {
      ...gateway,
      mutate: (document, variables, field) => {
        if (field === "metafieldsDelete" && ++deletes > 1)
          return Promise.reject(
            new ShopifyApiError("metafieldsDelete failed: HTTP 503", { attempts: 6 }),
          );
        return gateway.mutate(document, variables, field);
      },
    };
    await expect(cleanUpStore(failing, shop)).rejects.toThrow(ShopifyApiError);
    expect(appMetafields(standIn)).toHaveLength(written.upsellProducts + 1 - 25);
    expect(await storefrontPublishingPaused(shop)).toBe(true);

    const resumed = await cleanUpStore(gateway, shop);
    expect(resumed.planned.metafields).toMatchObject({ products: written.upsellProducts + 1 - 25 });
    expect(appMetafields(standIn)).toEqual([]);
    expect(await appTagsInShopify()).toBe(0);
    expect(await prisma.publishedMetafield.count({ where: { shop } })).toBe(0);
  });
});

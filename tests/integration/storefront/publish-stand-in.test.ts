// Storefront publishing against the Shopify stand-in, on a generated store synced the real way
// (bulk export into the database): recommendations from the synced orders, minimal
// metafield writes, and the upsell block rendered from what Shopify then holds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEFAULT_BAR, validateBar } from "~/domain/storefront/bars";
import { BARS_METAFIELD, UPSELLS_METAFIELD } from "~/domain/storefront/published";
import { DEFAULT_RECOMMENDER_OPTIONS } from "~/domain/upsell/recommender";
import { saveBar } from "~/models/bars.server";
import { recommendationsFor, saveOverride } from "~/models/recommendations.server";
import { ShopifyUserError, type AdminGateway } from "~/shopify/gateway.server";
import { recomputeReplenishableProducts } from "~/storefront/buy-again.server";
import { buildStorefrontPublication, publishStorefront } from "~/storefront/publish.server";
import { recomputeRecommendations } from "~/storefront/recommendations.server";
import { generateStore, type StandIn } from "@persegment/shopify-stand-in";
import {
  personaById,
  renderPersonaPage,
  storefrontFromStandIn,
} from "@persegment/storefront-preview";
import { testShop } from "../../support/shopify-requests";
import { startSyncedStandIn } from "../../support/synced-stand-in";

const shop = testShop("storefront");
const accessToken = "storefront-token";
const NOW = new Date("2026-11-20T00:00:00Z");
let standIn: StandIn;
let gateway: AdminGateway;

const productGid = (id: number) => `gid://shopify/Product/${id}`;

/** Orders containing both products, counted straight from the stand-in's own data. */
function boughtTogether(productId: number, otherId: number) {
  let orders = 0;
  for (const order of standIn.store.orders.values()) {
    if (order.cancelledAt !== null || order.test) continue;
    const products = new Set(order.lineItems.map((line) => line.productId));
    if (products.has(productId) && products.has(otherId)) orders += 1;
  }
  return orders;
}

function mostOrderedProduct() {
  const counts = new Map<number, number>();
  for (const order of standIn.store.orders.values()) {
    if (order.cancelledAt !== null || order.test) continue;
    for (const id of new Set(order.lineItems.map((line) => line.productId)))
      if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

/** A metafield as Shopify holds it (`$app:…` namespaces expanded for the app's API key). */
function shopifyMetafield(ownerGid: string, namespace: string, key: string) {
  const expanded = namespace.replace(/^\$app:/, "app--testApiKey--");
  return [...standIn.store.metafields.values()].find(
    (metafield) =>
      metafield.ownerGid === ownerGid && metafield.namespace === expanded && metafield.key === key,
  );
}

beforeAll(async () => {
  const store = generateStore({ customers: 400, seed: 11, now: NOW, shop: { domain: shop } });
  ({ standIn, gateway } = await startSyncedStandIn(shop, store, accessToken));
});

afterAll(async () => {
  await standIn?.close();
});

describe("recommendations on a synced generated store", () => {
  it("labels as bought together only products actually bought together, with their count", async () => {
    const run = await recomputeRecommendations(shop, NOW);
    expect(run.orders).toBeGreaterThan(100);
    expect(run.pairs).toBeGreaterThan(0);

    const popular = mostOrderedProduct();
    const picks = await recommendationsFor(shop, productGid(popular));
    expect(picks).toHaveLength(DEFAULT_RECOMMENDER_OPTIONS.perProduct);
    expect(picks.some((pick) => pick.source === "bought_together")).toBe(true);
    for (const pick of picks) {
      const together = boughtTogether(popular, Number(pick.recommendedId.split("/").pop()));
      expect(pick.support, pick.recommendedId).toBe(together);
      if (pick.source === "bought_together")
        expect(together, pick.recommendedId).toBeGreaterThanOrEqual(
          DEFAULT_RECOMMENDER_OPTIONS.minSupport,
        );
    }
    expect(picks.map((pick) => pick.rank)).toEqual(picks.map((_, index) => index + 1));
  });
});

describe("publishing to Shopify", () => {
  it("writes bars and upsells, and the upsell block renders the products bought together", async () => {
    const bar = validateBar(
      { ...DEFAULT_BAR, name: "Welcome", messages: { en: "Welcome <b>back</b>" } },
      [],
    );
    if (!bar.ok) throw new Error(JSON.stringify(bar.errors));
    await saveBar(shop, bar.value);

    const intervals = await recomputeReplenishableProducts(shop, NOW);
    const report = await publishStorefront(gateway, shop, NOW);
    const publication = await buildStorefrontPublication(shop);
    const productCount = Object.keys(publication.upsells).length;
    const writes = 1 + productCount + intervals.length;
    expect(report).toMatchObject({ written: writes, deleted: 0, unchanged: 0 });
    // One installation query plus one metafieldsSet per 25 metafields.
    expect(report.apiCalls).toBe(1 + Math.ceil(writes / 25));

    const installation = `gid://shopify/AppInstallation/${(await gateway.request<{ currentAppInstallation: { id: string } }>("query { currentAppInstallation { id } }")).currentAppInstallation.id.split("/").pop()}`;
    const barsMetafield = shopifyMetafield(
      installation,
      BARS_METAFIELD.namespace,
      BARS_METAFIELD.key,
    )!;
    expect(barsMetafield.type).toBe("json");
    expect(JSON.parse(barsMetafield.value)).toEqual(publication.bars);
    expect(JSON.parse(barsMetafield.value).bars[0].messages).toEqual([
      { locale: "en", text: "Welcome <b>back</b>" },
    ]);

    const popular = mostOrderedProduct();
    const upsells = shopifyMetafield(
      productGid(popular),
      UPSELLS_METAFIELD.namespace,
      UPSELLS_METAFIELD.key,
    )!;
    expect(upsells.type).toBe("list.product_reference");
    const referenced: string[] = JSON.parse(upsells.value);
    expect(referenced).toEqual(publication.upsells[productGid(popular)]);

    // Render the block from what Shopify now holds (the demo's data path).
    const storefront = storefrontFromStandIn(standIn.store, "testApiKey");
    expect(storefront.bars).toEqual(publication.bars);
    expect(storefront.upsells).toEqual(publication.upsells);
    const products = storefront.products;
    const html = await renderPersonaPage(personaById("guest-us"), storefront, {
      now: NOW,
      productId: productGid(popular),
      cart: [],
    });
    const titles = [...html.matchAll(/persegment-upsell__title">([^<]*)</g)].map(
      (match) => match[1],
    );
    const titleOf = (gid: string) => products.find((product) => product.id === gid)!.title;
    expect(titles.length).toBeGreaterThan(0);
    expect(titles).toEqual(
      referenced
        .slice(0, 4)
        .map((gid) => titleOf(gid).replace(/&/g, "&amp;").replace(/'/g, "&#39;")),
    );
    const sources = new Map(
      (await recommendationsFor(shop, productGid(popular))).map((pick) => [
        pick.recommendedId,
        pick.source,
      ]),
    );
    for (const gid of referenced.slice(0, 4))
      if (sources.get(gid) === "bought_together")
        expect(boughtTogether(popular, Number(gid.split("/").pop()))).toBeGreaterThanOrEqual(2);
    expect(html).toContain("Welcome &lt;b&gt;back&lt;/b&gt;");
  });

  it("writes nothing when nothing changed, and only what changed otherwise", async () => {
    const again = await publishStorefront(gateway, shop, NOW);
    expect(again).toMatchObject({ written: 0, deleted: 0, apiCalls: 1 });

    const popular = productGid(mostOrderedProduct());
    const [firstPick] = (await buildStorefrontPublication(shop)).upsells[popular];
    await saveOverride(shop, popular, { pinned: [], excluded: [firstPick] });
    const afterExclude = await publishStorefront(gateway, shop, NOW);
    expect(afterExclude).toMatchObject({ written: 1, deleted: 0, apiCalls: 2 });
    const upsells = JSON.parse(
      shopifyMetafield(popular, UPSELLS_METAFIELD.namespace, UPSELLS_METAFIELD.key)!.value,
    );
    expect(upsells).not.toContain(firstPick);

    // Excluding every pick removes the product's list from Shopify.
    const everything = (await recommendationsFor(shop, popular)).map((pick) => pick.recommendedId);
    await saveOverride(shop, popular, { pinned: [], excluded: everything });
    const afterRemoval = await publishStorefront(gateway, shop, NOW);
    expect(afterRemoval).toMatchObject({ written: 0, deleted: 1 });
    expect(
      shopifyMetafield(popular, UPSELLS_METAFIELD.namespace, UPSELLS_METAFIELD.key),
    ).toBeUndefined();
  });

  it("stops on a write Shopify refuses, records nothing for it, and finishes on the next run", async () => {
    const popular = productGid(mostOrderedProduct());
    // A product the database believes in but Shopify no longer has.
    await prisma.product.create({
      data: { shop, id: "gid://shopify/Product/999999", title: "Ghost", handle: "ghost" },
    });
    await saveOverride(shop, popular, { pinned: ["gid://shopify/Product/999999"], excluded: [] });
    const before = await prisma.publishedMetafield.findMany({
      where: { shop },
      orderBy: [{ ownerId: "asc" }],
    });

    await expect(publishStorefront(gateway, shop, NOW)).rejects.toThrow(ShopifyUserError);
    expect(
      await prisma.publishedMetafield.findMany({ where: { shop }, orderBy: [{ ownerId: "asc" }] }),
    ).toEqual(before);
    expect(
      shopifyMetafield(popular, UPSELLS_METAFIELD.namespace, UPSELLS_METAFIELD.key),
    ).toBeUndefined();

    await prisma.product.update({
      where: { shop_id: { shop, id: "gid://shopify/Product/999999" } },
      data: { status: "ARCHIVED" },
    });
    const fixed = await publishStorefront(gateway, shop, NOW);
    expect(fixed).toMatchObject({ written: 1 });
    expect(
      JSON.parse(
        shopifyMetafield(popular, UPSELLS_METAFIELD.namespace, UPSELLS_METAFIELD.key)!.value,
      ).length,
    ).toBeGreaterThan(0);
  });

  it("rewrites everything after a reinstall (new installation id: Shopify dropped the app's metafields)", async () => {
    const desired =
      1 +
      Object.keys((await buildStorefrontPublication(shop)).upsells).length +
      (await prisma.replenishableProduct.count({ where: { shop } }));
    expect(await publishStorefront(gateway, shop, NOW)).toMatchObject({ written: 0 });
    await prisma.publishedMetafield.updateMany({
      where: { shop, namespace: BARS_METAFIELD.namespace, key: BARS_METAFIELD.key },
      data: { ownerId: "gid://shopify/AppInstallation/1" },
    });
    const report = await publishStorefront(gateway, shop, NOW);
    expect(report).toMatchObject({ written: desired, deleted: 0, unchanged: 0 });
    expect(await prisma.publishedMetafield.count({ where: { shop } })).toBe(desired);
  });
});

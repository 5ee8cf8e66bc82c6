// Repurchase intervals published to the Shopify stand-in (issue 21, buy-again): computed from the
// synced orders up to the as-of date, one number_integer product metafield per replenishable
// product in the batched metafieldsSet, nothing rewritten when nothing changed, removals deleted
// on Shopify; and the buy-again block rendered from what Shopify then holds.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DUE_OPTIONS, dueProducts } from "~/domain/buy-again/dueness";
import { repurchaseIntervals } from "~/domain/buy-again/repurchase-intervals";
import { REPURCHASE_DAYS_METAFIELD } from "~/domain/storefront/published";
import { loadOrderProducts } from "~/models/buy-again.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { buyAgainOverview, recomputeReplenishableProducts } from "~/storefront/buy-again.server";
import { buildStorefrontPublication, publishStorefront } from "~/storefront/publish.server";
import { expandAppNamespace, Store, type StandIn } from "@persegment/shopify-stand-in";
import {
  personaById,
  renderPersonaPage,
  storefrontFromStandIn,
} from "@persegment/storefront-preview";
import { requestedScopes, testShop } from "../../support/shopify-requests";
import { STAND_IN_API_KEY, startSyncedStandIn } from "../../support/synced-stand-in";

const run = promisify(execFile);
const shop = testShop("buy-again");
const ACCESS_TOKEN = "buy-again-token";
const NOW = new Date("2026-11-20T00:00:00Z");
const DAY = 86_400_000;
/** The coffee buyers' first purchase; every 30 days after it they buy again. */
const FIRST_COFFEE = NOW.getTime() - 400 * DAY;
let standIn: StandIn;
let gateway: AdminGateway;
let coffeeId: string;
let giftCardId: string;
let addOnId: string;

const productGid = (id: number) => `gid://shopify/Product/${id}`;

function addProduct(store: Store, title: string, giftCard = false) {
  const id = store.newId("Product");
  const variantId = store.newId("ProductVariant");
  store.insertProduct({
    id,
    title,
    handle: title.toLowerCase().replace(/ /g, "-"),
    productType: "",
    vendor: "",
    tags: [],
    status: "ACTIVE",
    createdAt: NOW.getTime() - 800 * DAY,
    updatedAt: NOW.getTime() - 800 * DAY,
    variants: [
      { id: variantId, productId: id, title: "Default Title", sku: title, priceCents: 1800 },
    ],
    collectionIds: [],
    giftCard,
  });
  return { gid: productGid(id), variantId };
}

/** Places an order at `at` (Shopify's created and processed time). */
function orderAt(store: Store, customerId: number, at: number, variantIds: number[]) {
  const clock = store.clock;
  store.clock = () => at;
  const order = store.createOrder({
    customerId,
    processedAt: at,
    lines: variantIds.map((variantId) => ({ variantId, quantity: 1 })),
  });
  store.clock = clock;
  return order;
}

/** Recomputes the stored intervals from the orders up to `asOf`: what a publish then writes. */
async function intervalsAsOf(asOf: Date) {
  const intervals = await recomputeReplenishableProducts(shop, asOf);
  return Object.fromEntries(intervals.map(({ productId, days }) => [productId, days]));
}

/** A metafield as Shopify holds it. */
function shopifyMetafields(key: string) {
  const namespace = expandAppNamespace(STAND_IN_API_KEY, REPURCHASE_DAYS_METAFIELD.namespace);
  return [...standIn.store.metafields.values()].filter(
    (metafield) => metafield.namespace === namespace && metafield.key === key,
  );
}

beforeAll(async () => {
  const store = new Store({
    name: "Buy-again test",
    domain: shop,
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
  });
  const coffee = addProduct(store, "Coffee Beans");
  const giftCard = addProduct(store, "Gift Card", true);
  const addOn = addProduct(store, "Shipping Protection");
  const mugs = ["Blue Mug", "Red Mug", "Green Mug"].map((title) => addProduct(store, title));
  [coffeeId, giftCardId, addOnId] = [coffee.gid, giftCard.gid, addOn.gid];
  // Sixty customers buy a mug once, one in three every 60 days; shipping protection rides along
  // with every other order (a detected add-on, though bought again and again).
  for (let n = 0; n < 60; n++) {
    const customer = store.createCustomer({ createdAt: FIRST_COFFEE - DAY });
    const mug = mugs[n % 3].variantId;
    for (let again = 0; again < (n % 3 === 0 ? 3 : 1); again++)
      orderAt(store, customer.id, FIRST_COFFEE + n * DAY + again * 60 * DAY, [
        mug,
        ...(n % 2 ? [addOn.variantId] : []),
      ]);
  }
  // Three coffee drinkers restock every 30 days (twelve, four and three times), every other time
  // with a gift card (bought again by two customers, but never published); one cancelled order
  // in between is not a purchase.
  for (const [index, purchases] of [12, 4, 3].entries()) {
    const customer = store.createCustomer({ createdAt: FIRST_COFFEE - DAY });
    for (let n = 0; n < purchases; n++)
      orderAt(store, customer.id, FIRST_COFFEE + index * DAY + n * 30 * DAY, [
        coffee.variantId,
        ...(n % 2 ? [giftCard.variantId] : []),
      ]);
    if (index === 0)
      store.cancelOrder(
        orderAt(store, customer.id, FIRST_COFFEE + 15 * DAY, [coffee.variantId]).id,
      );
  }
  ({ standIn, gateway } = await startSyncedStandIn(shop, store, ACCESS_TOKEN));
});

afterAll(async () => {
  await standIn?.close();
});

describe("publishing repurchase intervals", () => {
  it("writes one number_integer metafield per replenishable product, in the batched writes", async () => {
    const intervals = await intervalsAsOf(NOW);
    expect(intervals[coffeeId]).toBe(30);
    expect(intervals).not.toHaveProperty(giftCardId);
    expect(intervals).not.toHaveProperty(addOnId);
    // Both are bought again often enough: only the exclusions keep them out.
    const unexcluded = repurchaseIntervals(await loadOrderProducts(shop, NOW), NOW, new Set()).map(
      (interval) => interval.productId,
    );
    expect(unexcluded).toEqual(expect.arrayContaining([coffeeId, giftCardId, addOnId]));

    const report = await publishStorefront(gateway, shop, NOW);
    const writes =
      1 +
      Object.keys((await buildStorefrontPublication(shop, NOW)).upsells).length +
      Object.keys(intervals).length;
    expect(report).toMatchObject({ written: writes, deleted: 0, unchanged: 0 });
    expect(report.apiCalls).toBe(1 + Math.ceil(writes / 25));
    const onShopify = shopifyMetafields(REPURCHASE_DAYS_METAFIELD.key);
    expect(onShopify.every((metafield) => metafield.type === "number_integer")).toBe(true);
    expect(
      Object.fromEntries(
        onShopify.map((metafield) => [metafield.ownerGid, Number(metafield.value)]),
      ),
    ).toEqual(intervals);
  });

  it("lists the replenishable products for the merchant, with their evidence", async () => {
    const { products, count } = await buyAgainOverview(shop);
    expect(count).toBe(Object.keys(await intervalsAsOf(NOW)).length);
    expect(products).toContainEqual({
      productId: coffeeId,
      title: "Coffee Beans",
      days: 30,
      repurchases: 11 + 3 + 2,
      repeatCustomers: 3,
      customers: 3,
    });
  });

  it("writes nothing on a re-publish with no change", async () => {
    expect(await publishStorefront(gateway, shop, NOW)).toMatchObject({
      written: 0,
      deleted: 0,
      apiCalls: 1,
    });
  });

  it("renders the buy-again block from what Shopify holds: the coffee drinker sees coffee first", async () => {
    const storefront = storefrontFromStandIn(standIn.store, STAND_IN_API_KEY);
    const orders = storefront.returningCustomerOrders!;
    // The customer with something due who bought one replenishable product most often: twelve
    // coffee orders, and the cancelled one.
    expect(orders).toHaveLength(13);
    expect(orders.filter((order) => order.cancelled)).toHaveLength(1);
    const html = await renderPersonaPage(personaById("returning"), storefront, { now: NOW });
    const section =
      /<section class="persegment-upsell persegment-buy-again"[\s\S]*?<\/section>/.exec(html)![0];
    const titles = [...section.matchAll(/persegment-upsell__title">([^<]*)</g)].map((m) => m[1]);
    expect(titles).toEqual(["Coffee Beans"]);
    const [due] = dueProducts(
      orders.map((order) => ({ ...order, createdAt: new Date(order.createdAt) })),
      new Map(Object.entries(storefront.repurchaseDays!)),
      () => true,
      NOW,
      DEFAULT_DUE_OPTIONS,
    );
    // Last bought 70 days ago (the twelfth purchase, 330 days after the first), every 30 days.
    expect(due).toMatchObject({ productId: coffeeId, daysSince: 70, duePermille: 2333 });
  });

  it("`publish --as-of` uses only orders up to the date, and deletes intervals no longer supported", async () => {
    // Before the second coffee purchases, coffee had no repurchase yet.
    const early = new Date(FIRST_COFFEE + 20 * DAY);
    const earlier = await intervalsAsOf(early);
    expect(earlier).not.toHaveProperty(coffeeId);
    const gone = Object.keys(await intervalsAsOf(NOW)).filter((id) => !(id in earlier));
    expect(gone).toContain(coffeeId);
    await saveOfflineToken(shop, ACCESS_TOKEN, requestedScopes().join(","));
    const { stdout } = await run(
      "node_modules/.bin/tsx",
      ["app/cli/main.ts", "publish", shop, "--as-of", early.toISOString()],
      { env: { ...process.env, SHOPIFY_ADMIN_API_ORIGIN: standIn.origin } },
    );
    expect(stdout).toMatch(
      new RegExp(`published: \\d+ metafields written, ${gone.length} deleted`),
    );
    expect(shopifyMetafields(REPURCHASE_DAYS_METAFIELD.key).map((m) => m.ownerGid)).not.toContain(
      coffeeId,
    );

    await intervalsAsOf(NOW);
    const restored = await publishStorefront(gateway, shop, NOW);
    expect(restored.deleted).toBe(0);
    expect(
      shopifyMetafields(REPURCHASE_DAYS_METAFIELD.key).find((m) => m.ownerGid === coffeeId)?.value,
    ).toBe("30");
  });
});

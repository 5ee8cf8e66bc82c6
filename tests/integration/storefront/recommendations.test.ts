// Recommendations on a generated store synced the real way (issue 21): the offline evaluation
// from the command line, exclusions (a gift card, a detected add-on, a product the merchant
// excluded) kept out
// of every published list, fills giving nearly every product sold a list, and --as-of reading
// only the orders up to the date.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPSELLS_METAFIELD } from "~/domain/storefront/published";
import { evaluationTable } from "~/domain/upsell/evaluation";
import { recordInstall } from "~/models/shop.server";
import {
  loadEvaluation,
  loadProductChoices,
  markEvaluationChanged,
  saveProductChoice,
} from "~/models/upsell-choices.server";
import { createAdminGateway, type AdminGateway } from "~/shopify/gateway.server";
import { publishStorefront } from "~/storefront/publish.server";
import {
  evaluateShop,
  measureRecommendationQuality,
  recomputeRecommendations,
} from "~/storefront/recommendations.server";
import { runFullSync } from "~/sync/full-sync.server";
import {
  expandAppNamespace,
  generateStore,
  startStandIn,
  type Store,
} from "@persegment/shopify-stand-in";
import { requestedScopes, testShop } from "../../support/shopify-requests";
import { changesIgnored } from "../../support/pipeline";

const run = promisify(execFile);
const shop = testShop("recommendations");
const accessToken = "recommendations-token";
const NOW = new Date("2026-11-20T00:00:00Z");
const DAY = 86_400_000;
let standIn: Awaited<ReturnType<typeof startStandIn>>;
let gateway: AdminGateway;
let addOnId: string;
let giftCardId: string;
let excludedId: string;

const productGid = (id: number) => `gid://shopify/Product/${id}`;

/** Counted orders of the stand-in's own data, as product GID baskets. */
function countedOrders() {
  return [...standIn.store.orders.values()].filter(
    (order) => order.cancelledAt === null && !order.test,
  );
}

/** A product added to the orders `inOrder` picks, whatever else is in them (never alone). */
function addToOrders(
  store: Store,
  product: { title: string; productType: string; priceCents: number; giftCard?: boolean },
  inOrder: (orderId: number) => boolean,
) {
  const id = store.newId("Product");
  const variant = { id: store.newId("ProductVariant"), productId: id, title: "Default Title" };
  store.insertProduct({
    id,
    title: product.title,
    handle: product.title.toLowerCase().replace(/ /g, "-"),
    productType: product.productType,
    vendor: "",
    tags: [],
    status: "ACTIVE",
    createdAt: NOW.getTime() - 800 * DAY,
    updatedAt: NOW.getTime() - 800 * DAY,
    variants: [{ ...variant, sku: product.title, priceCents: product.priceCents }],
    collectionIds: [],
    giftCard: product.giftCard,
  });
  for (const order of store.orders.values())
    if (inOrder(order.id))
      order.lineItems.push({
        id: store.newId("LineItem"),
        productId: id,
        variantId: variant.id,
        title: product.title,
        quantity: 1,
        unitPriceCents: product.priceCents,
      });
  return productGid(id);
}

beforeAll(async () => {
  const store = generateStore({ customers: 800, seed: 5, now: NOW, shop: { domain: shop } });
  // Shipping protection in 40 % of orders: an add-on to detect.
  addOnId = addToOrders(
    store,
    { title: "Shipping Protection", productType: "Service", priceCents: 299 },
    (orderId) => orderId % 5 < 2,
  );
  // A gift card in one order in ten: Shopify marks its lines as gift cards.
  giftCardId = addToOrders(
    store,
    { title: "Gift Card", productType: "Gift Card", priceCents: 2500, giftCard: true },
    (orderId) => orderId % 10 === 7,
  );
  standIn = await startStandIn({
    shop,
    accessToken,
    apiSecret: "testApiSecretKey",
    store,
    apiKey: "testApiKey",
    scopes: requestedScopes(),
  });
  gateway = createAdminGateway({ shop, accessToken, origin: standIn.origin, baseDelayMs: 20 });
  await recordInstall(shop, requestedScopes().join(","));
  await runFullSync(gateway, changesIgnored, { pollIntervalMs: 20 });
  // The merchant excludes the store's most ordered product from every list.
  const counts = new Map<number, number>();
  for (const order of countedOrders())
    for (const id of new Set(order.lineItems.map((line) => line.productId)))
      if (id !== null && ![addOnId, giftCardId].includes(productGid(id)))
        counts.set(id, (counts.get(id) ?? 0) + 1);
  excludedId = productGid([...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0]);
  await saveProductChoice(shop, excludedId, "exclude");
});

afterAll(async () => {
  await standIn?.close();
});

describe("recommendations evaluate", () => {
  const cli = (...args: string[]) =>
    run("node_modules/.bin/tsx", ["app/cli/main.ts", "recommendations", "evaluate", ...args], {
      env: { ...process.env, SHOPIFY_ADMIN_API_ORIGIN: standIn.origin },
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it("prints the evaluation table for the cutoff, the same numbers the app computes", async () => {
    const cutoff = new Date(NOW.getTime() - 90 * DAY);
    const output = await cli(shop, "--cutoff", cutoff.toISOString().slice(0, 10));
    expect(output.stderr).toBe("");
    const { evaluation } = await evaluateShop(shop, cutoff);
    expect(output.stdout.split("\n").slice(1, 6)).toEqual(evaluationTable(evaluation));
    const trained = countedOrders().filter((order) => order.processedAt < cutoff.getTime()).length;
    expect(output.stdout.split("\n")[0]).toContain(
      `trained on ${trained.toLocaleString("en-US")} orders`,
    );
    // The gift card, the add-on and the excluded product are neither counted nor tested.
    const soldBefore = new Set(
      countedOrders()
        .filter((order) => order.processedAt < cutoff.getTime())
        .flatMap((order) => order.lineItems.map((line) => line.productId!))
        .filter((id) => standIn.store.products.get(id)!.status === "ACTIVE")
        .map(productGid),
    );
    expect([addOnId, giftCardId, excludedId].every((id) => soldBefore.has(id))).toBe(true);
    expect(evaluation.productsSold).toBe(soldBefore.size - 3);
  });

  it("refuses a cutoff that is not a date, one with no orders after it, and a bad k", async () => {
    const notDate = await cli(shop, "--cutoff", "soon");
    expect(notDate.code).toBe(2);
    expect(notDate.stderr).toContain("--cutoff needs an ISO date");
    const tooLate = await cli(shop, "--cutoff", "2030-01-01");
    expect(tooLate.code).toBe(2);
    expect(tooLate.stderr).toContain("choose a cutoff with orders on both sides");
    const badK = await cli(shop, "--cutoff", "2026-08-01", "--k", "0");
    expect(badK.code).toBe(2);
    expect(badK.stderr).toContain("--k needs a whole number from 1 to 8");
  });
});

describe("recommendations quality", () => {
  const cli = (...args: string[]) =>
    run("node_modules/.bin/tsx", ["app/cli/main.ts", "recommendations", "quality", ...args], {
      env: { ...process.env, SHOPIFY_ADMIN_API_ORIGIN: standIn.origin },
    });

  it("measures and stores what the storefront page shows, once a day unless the lists changed", async () => {
    const { stdout } = await cli(shop, "--as-of", NOW.toISOString());
    const { evaluation } = await evaluateShop(shop, new Date(NOW.getTime() - 90 * DAY), {
      through: NOW,
    });
    expect(stdout.split("\n")[0]).toContain("measured 2026-11-20T00:00:00.000Z");
    expect(stdout.split("\n").slice(1, 6)).toEqual(evaluationTable(evaluation));
    const stored = await loadEvaluation(shop);
    expect(stored).toMatchObject({ computedAt: NOW, changedAt: null });
    expect(stored!.addOns.map((addOn) => addOn.productId)).toEqual([addOnId]);

    const later = new Date(NOW.getTime() + DAY / 2);
    expect(await measureRecommendationQuality(shop, later)).toEqual({ measured: false });
    await markEvaluationChanged(shop, later);
    expect(await measureRecommendationQuality(shop, later)).toEqual({
      measured: true,
      evaluated: true,
    });
    expect(await loadEvaluation(shop)).toMatchObject({ computedAt: later, changedAt: null });
  });
});

describe("published lists", () => {
  it("leave out the detected add-on and the excluded product, and cover the products sold", async () => {
    const recomputed = await recomputeRecommendations(shop, NOW);
    expect(recomputed.addOns.map((addOn) => addOn.productId)).toEqual([addOnId]);
    await publishStorefront(gateway, shop, NOW);
    const namespace = expandAppNamespace("testApiKey", UPSELLS_METAFIELD.namespace);
    const lists = new Map(
      [...standIn.store.metafields.values()]
        .filter((entry) => entry.namespace === namespace && entry.key === UPSELLS_METAFIELD.key)
        .map((entry) => [entry.ownerGid, JSON.parse(entry.value) as string[]]),
    );
    const listed = [...lists.values()].flat();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).not.toContain(addOnId);
    expect(listed).not.toContain(giftCardId);
    expect(listed).not.toContain(excludedId);
    expect(await loadProductChoices(shop)).toEqual(new Map([[excludedId, "exclude"]]));

    const active = new Set(
      [...standIn.store.products.values()]
        .filter((product) => product.status === "ACTIVE")
        .map((product) => productGid(product.id)),
    );
    const sold = new Set(
      countedOrders().flatMap((order) =>
        order.lineItems.map((line) => productGid(line.productId!)).filter((id) => active.has(id)),
      ),
    );
    sold.delete(giftCardId);
    sold.delete(addOnId);
    const withList = [...sold].filter((id) => (lists.get(id)?.length ?? 0) > 0);
    expect(withList.length / sold.size).toBeGreaterThanOrEqual(0.95);
  });

  it("publish --as-of reads only the orders processed at or before the date", async () => {
    const asOf = new Date(NOW.getTime() - 200 * DAY);
    const recomputed = await recomputeRecommendations(shop, asOf);
    const through = countedOrders().filter((order) => order.processedAt <= asOf.getTime());
    expect(recomputed.orders).toBe(through.length);
    expect(recomputed.orders).toBeLessThan(countedOrders().length);
  });
});

// The rule builder's pickers search the shop's catalog in Shopify (the stand-in) by title and
// name the ids a rule holds; the route refuses an unknown kind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader } from "~/routes/api.segments.catalog";
import { catalogTitles, searchCatalog } from "~/shops/catalog.server";
import { addShopWithToken } from "~/shops/access.server";
import { generateStore, startStandIn } from "@persegment/shopify-stand-in";
import {
  adminRequest,
  requestedScopes,
  storeOfflineSession,
  testShop,
} from "../../support/shopify-requests";

const shop = testShop("catalog");
const previousOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN;
let standIn: Awaited<ReturnType<typeof startStandIn>>;

beforeAll(async () => {
  standIn = await startStandIn({
    shop,
    accessToken: "catalog-token",
    apiSecret: "testApiSecretKey",
    apiKey: "testApiKey",
    store: generateStore({ customers: 20, seed: 5, shop: { domain: shop } }),
    scopes: requestedScopes(),
  });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = standIn.origin;
  await storeOfflineSession(shop);
  await addShopWithToken(shop, "catalog-token");
});

afterAll(async () => {
  await standIn?.close();
  if (previousOrigin === undefined) delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  else process.env.SHOPIFY_ADMIN_API_ORIGIN = previousOrigin;
});

describe("catalog pickers", () => {
  it("finds products and collections by the start of a word of their title", async () => {
    const product = [...standIn.store.products.values()][0];
    const word = product.title.split(" ")[0];
    const found = await searchCatalog(shop, "product", word.slice(0, 3).toLowerCase());
    expect(found.map((item) => item.id)).toContain(`gid://shopify/Product/${product.id}`);
    for (const item of found)
      expect(item.title.toLowerCase()).toContain(word.slice(0, 3).toLowerCase());

    const collection = [...standIn.store.collections.values()][0];
    const collections = await searchCatalog(shop, "collection", collection.title.slice(0, 4));
    expect(collections).toContainEqual({
      id: `gid://shopify/Collection/${collection.id}`,
      title: collection.title,
    });
  });

  it("names the ids a rule holds, leaving out what is not a product or collection", async () => {
    const product = [...standIn.store.products.values()][1];
    const collection = [...standIn.store.collections.values()][0];
    const titles = await catalogTitles(shop, [
      `gid://shopify/Product/${product.id}`,
      `gid://shopify/Collection/${collection.id}`,
      "gid://shopify/Customer/1",
      "not an id",
    ]);
    expect(titles).toEqual([
      { id: `gid://shopify/Product/${product.id}`, title: product.title },
      { id: `gid://shopify/Collection/${collection.id}`, title: collection.title },
    ]);
  });

  it("the route refuses an unknown kind with 400", async () => {
    const request = await adminRequest(shop, "/api/segments/catalog?kind=customer&q=a");
    const response = (await loader({ request, params: {}, context: {} })) as Response;
    expect(response.status).toBe(400);
  });
});

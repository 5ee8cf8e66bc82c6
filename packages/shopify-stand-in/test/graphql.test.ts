import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandIn, parseGid, startStandIn } from "../src";
import { NOW, adminGraphql } from "./helpers";

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn({
    shop: "graphql-test.myshopify.com",
    accessToken: "stand-in-token",
    apiSecret: "testApiSecretKey",
    generate: { customers: 120, seed: 11, now: NOW },
  });
});
afterAll(() => standIn.close());

const CUSTOMERS = `#graphql
  query Customers($first: Int, $after: String, $last: Int, $before: String, $query: String) {
    customers(first: $first, after: $after, last: $last, before: $before, query: $query) {
      edges { cursor node { id updatedAt tags numberOfOrders amountSpent { amount currencyCode }
        defaultAddress { countryCodeV2 provinceCode city } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

describe("Admin GraphQL over the real schema", () => {
  it("answers a schema-valid customers query with store data and cost extensions", async () => {
    const { status, body } = await adminGraphql(standIn, CUSTOMERS, { first: 5 });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const edges = body.data.customers.edges;
    expect(edges).toHaveLength(5);
    const first = [...standIn.store.customers.values()].sort((a, b) => a.id - b.id)[0];
    expect(edges[0].node.id).toBe(`gid://shopify/Customer/${first.id}`);
    const stats = standIn.store.customerStats(first.id);
    expect(edges[0].node.numberOfOrders).toBe(String(stats.numberOfOrders));
    expect(edges[0].node.amountSpent.amount).toMatch(/^\d+\.\d{1,2}$/);
    expect(body.data.customers.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
    // 2 + 5 × (Customer 1 + amountSpent 1 + defaultAddress 1)
    expect(body.extensions.cost.requestedQueryCost).toBe(2 + 5 * 3);
    expect(body.extensions.cost.throttleStatus.maximumAvailable).toBe(2000);
  });

  it("rejects an invalid field in Shopify's error shape, at HTTP 200, without data", async () => {
    const { status, body } = await adminGraphql(
      standIn,
      `{ customers(first: 1) { nodes { id loyaltyPoints } } }`,
    );
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'loyaltyPoints' doesn't exist on type 'Customer'",
        locations: [{ line: 1, column: 36 }],
        path: ["query", "customers", "nodes", "loyaltyPoints"],
        extensions: { code: "undefinedField", typeName: "Customer", fieldName: "loyaltyPoints" },
      },
    ]);
  });

  it("answers an unknown access token with 401 like Shopify", async () => {
    const { status, body } = await adminGraphql(standIn, `{ shop { name } }`, {}, "wrong-token");
    expect(status).toBe(401);
    expect(body.errors).toMatch(/Invalid API key or access token/);
  });

  it("fails loudly, naming the field, for a schema field the stand-in does not implement", async () => {
    const { body } = await adminGraphql(standIn, `{ shop { name checkoutApiSupported } }`);
    expect(body.errors[0].message).toBe(
      "The Shopify stand-in does not implement Shop.checkoutApiSupported",
    );
    expect(body.errors[0].extensions.code).toBe("NOT_IMPLEMENTED_IN_STAND_IN");
  });

  it("serves Product.collections as a paged connection of Collection nodes", async () => {
    const store = standIn.store;
    const product = [...store.products.values()].find((p) => p.collectionIds.length >= 2)!;
    const query = `query($id: ID!, $after: String) { product(id: $id) {
      collections(first: 1, after: $after) { nodes { id title handle updatedAt
        hasProduct(id: $id) productsCount { count } } pageInfo { hasNextPage endCursor } } } }`;
    const id = `gid://shopify/Product/${product.id}`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await adminGraphql(standIn, query, { id, after });
      expect(body.errors).toBeUndefined();
      const page = body.data.product.collections;
      for (const node of page.nodes) {
        const record = store.collections.get(Number(node.id.split("/").pop()))!;
        expect(node).toEqual({
          id: node.id,
          title: record.title,
          handle: record.handle,
          updatedAt: expect.stringMatching(/Z$/),
          hasProduct: true,
          productsCount: { count: store.productsIn(record.id).length },
        });
        seen.push(node.id);
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      [...product.collectionIds].sort((a, b) => a - b).map((c) => `gid://shopify/Collection/${c}`),
    );
    // 1 (product) + 2 + 1 × Collection (productsCount is an object: 1 more)
    const { body } = await adminGraphql(standIn, query, { id });
    expect(body.extensions.cost.requestedQueryCost).toBe(1 + 2 + 1 * 2);
  });

  it("answers collection membership changes with a new product updatedAt and products/update", async () => {
    const store = standIn.store;
    const topics: string[] = [];
    const unsubscribe = store.subscribe((change) => topics.push(change.topic));
    const product = [...store.products.values()].find((p) => p.collectionIds.length === 0)!;
    const collection = store.createCollection("Just Landed");
    const before = product.updatedAt;
    store.addProductsToCollection(collection.id, [product.id]);
    store.addProductsToCollection(collection.id, [product.id]);
    unsubscribe();
    expect(product.collectionIds).toEqual([collection.id]);
    expect(product.updatedAt).toBeGreaterThan(before);
    expect(topics).toEqual(["products/update"]);
    const { body } = await adminGraphql(
      standIn,
      `query($id: ID!) { collection(id: $id) { products(first: 5) { nodes { id } } } }`,
      { id: `gid://shopify/Collection/${collection.id}` },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.collection.products.nodes).toEqual([
      { id: `gid://shopify/Product/${product.id}` },
    ]);
    store.removeProductsFromCollection(collection.id, [product.id]);
    expect(product.collectionIds).toEqual([]);
  });

  it("pages forwards and backwards with cursors over every customer exactly once", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await adminGraphql(standIn, CUSTOMERS, { first: 50, after });
      const page = body.data.customers;
      seen.push(...page.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(standIn.store.customers.size);
    expect(new Set(seen).size).toBe(seen.length);

    const { body: lastPage } = await adminGraphql(standIn, CUSTOMERS, { last: 3 });
    expect(lastPage.data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(
      seen.slice(-3),
    );
    const { body: before } = await adminGraphql(standIn, CUSTOMERS, {
      last: 2,
      before: lastPage.data.customers.pageInfo.startCursor,
    });
    expect(before.data.customers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(
      seen.slice(-5, -3),
    );
  });

  it("filters customers with updated_at:> and id:> like Shopify's search syntax", async () => {
    const customers = [...standIn.store.customers.values()];
    const cutoff = customers.map((c) => c.updatedAt).sort((a, b) => a - b)[100];
    const expected = customers.filter((c) => c.updatedAt > cutoff).length;
    const { body } = await adminGraphql(standIn, CUSTOMERS, {
      first: 250,
      query: `updated_at:>'${new Date(cutoff).toISOString()}'`,
    });
    expect(body.data.customers.edges).toHaveLength(expected);
    const pivot = [...standIn.store.customers.keys()].sort((a, b) => a - b)[110];
    const { body: byId } = await adminGraphql(standIn, CUSTOMERS, {
      first: 250,
      query: `id:>${pivot}`,
    });
    expect(byId.data.customers.edges).toHaveLength(9);
    const { body: bad } = await adminGraphql(standIn, CUSTOMERS, {
      first: 5,
      query: "favourite_colour:blue",
    });
    expect(bad.errors[0].message).toContain('search filter "favourite_colour"');
  });

  it("rejects first above 250", async () => {
    const { body } = await adminGraphql(standIn, CUSTOMERS, { first: 251 });
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe("MAX_PAGE_SIZE_EXCEEDED");
  });

  it("serves orders with line items, nodes and counts", async () => {
    const { body } = await adminGraphql(
      standIn,
      `{ orders(first: 3, sortKey: PROCESSED_AT, reverse: true) { nodes { id name processedAt cancelledAt test
          customer { id } currentTotalPriceSet { shopMoney { amount currencyCode } }
          lineItems(first: 10) { nodes { quantity product { id productType vendor } variant { id } originalUnitPriceSet { shopMoney { amount } } } } } }
        ordersCount(limit: null) { count precision } customersCount { count precision } }`,
    );
    expect(body.errors).toBeUndefined();
    const newest = [...standIn.store.orders.values()].sort(
      (a, b) => b.processedAt - a.processedAt || b.id - a.id,
    )[0];
    expect(body.data.orders.nodes[0].id).toBe(`gid://shopify/Order/${newest.id}`);
    expect(body.data.orders.nodes[0].lineItems.nodes).toHaveLength(newest.lineItems.length);
    expect(body.data.ordersCount).toEqual({ count: standIn.store.orders.size, precision: "EXACT" });
    expect(body.data.customersCount).toEqual({ count: 120, precision: "EXACT" });

    const ids = body.data.orders.nodes.map((o: { id: string }) => o.id);
    const { body: nodes } = await adminGraphql(
      standIn,
      `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { name } } }`,
      {
        ids: [...ids, "gid://shopify/Order/1"],
      },
    );
    expect(nodes.data.nodes.slice(0, 3).map((n: { id: string }) => n.id)).toEqual(ids);
    expect(nodes.data.nodes[3]).toBeNull();
  });

  it("tagsAdd and tagsRemove change only the listed tags and bump updatedAt", async () => {
    const customer = [...standIn.store.customers.values()].find((c) => c.tags.length > 0)!;
    const merchantTags = [...customer.tags];
    const before = customer.updatedAt;
    const id = `gid://shopify/Customer/${customer.id}`;
    const add = await adminGraphql(
      standIn,
      `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { ... on Customer { tags } } userErrors { field message } } }`,
      { id, tags: ["seg-champions", "seg-vip-test"] },
    );
    expect(add.body.data.tagsAdd.userErrors).toEqual([]);
    expect(add.body.data.tagsAdd.node.tags).toEqual([
      ...merchantTags,
      "seg-champions",
      "seg-vip-test",
    ]);
    expect(customer.updatedAt).toBeGreaterThan(before);
    const remove = await adminGraphql(
      standIn,
      `mutation($id: ID!) { tagsRemove(id: $id, tags: ["seg-champions"]) { node { ... on Customer { tags } } userErrors { message } } }`,
      { id },
    );
    expect(remove.body.data.tagsRemove.node.tags).toEqual([...merchantTags, "seg-vip-test"]);
    expect(add.body.extensions.cost.requestedQueryCost).toBe(10);

    const tooLong = await adminGraphql(
      standIn,
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["${"x".repeat(256)}"]) { node { id } userErrors { field message } } }`,
      { id },
    );
    expect(tooLong.body.data.tagsAdd.userErrors).toEqual([
      { field: ["tags"], message: "Tags is too long (maximum is 255 characters)" },
    ]);
    expect(customer.tags).toEqual([...merchantTags, "seg-vip-test"]);

    const missing = await adminGraphql(
      standIn,
      `mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["a"]) { node { id } userErrors { field message } } }`,
    );
    expect(missing.body.data.tagsAdd.userErrors[0].field).toEqual(["id"]);
    expect(parseGid(id)?.id).toBe(customer.id);
  });

  it("metafieldsSet writes app-data metafields on the installation, atomically", async () => {
    const installation = await adminGraphql(standIn, `{ currentAppInstallation { id } }`);
    const ownerId = installation.body.data.currentAppInstallation.id;
    const set = await adminGraphql(
      standIn,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { namespace key type value } userErrors { field message code } } }`,
      {
        m: [{ ownerId, namespace: "persegment", key: "bars", type: "json", value: '{"bars":[]}' }],
      },
    );
    expect(set.body.data.metafieldsSet.userErrors).toEqual([]);
    const bad = await adminGraphql(
      standIn,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key } userErrors { field code } } }`,
      {
        m: [
          { ownerId, namespace: "persegment", key: "enabled", type: "boolean", value: "true" },
          { ownerId, namespace: "persegment", key: "bars", type: "json", value: "{not json" },
        ],
      },
    );
    expect(bad.body.data.metafieldsSet.userErrors[0].field).toEqual(["metafields", "1", "value"]);
    const read = await adminGraphql(
      standIn,
      `{ currentAppInstallation { bars: metafield(namespace: "persegment", key: "bars") { jsonValue } enabled: metafield(namespace: "persegment", key: "enabled") { value } } }`,
    );
    expect(read.body.data.currentAppInstallation).toEqual({
      bars: { jsonValue: { bars: [] } },
      enabled: null,
    });
  });

  it("segmentCreate keeps names unique and lists segments", async () => {
    const create = (name: string) =>
      adminGraphql(
        standIn,
        `mutation($name: String!) { segmentCreate(name: $name, query: "customer_tags CONTAINS 'seg-vip'") { segment { id name query } userErrors { field message } } }`,
        { name },
      );
    const first = await create("Persegment: VIP");
    expect(first.body.data.segmentCreate.userErrors).toEqual([]);
    const again = await create("Persegment: VIP");
    expect(again.body.data.segmentCreate.userErrors).toEqual([
      { field: ["name"], message: "Name has already been taken" },
    ]);
    const list = await adminGraphql(standIn, `{ segments(first: 10) { nodes { name query } } }`);
    expect(list.body.data.segments.nodes).toEqual([
      { name: "Persegment: VIP", query: "customer_tags CONTAINS 'seg-vip'" },
    ]);
  });
});

describe("large lists", () => {
  it("stay correct across changes while sorted pages are cached", async () => {
    const big = await startStandIn({
      shop: "big-list.myshopify.com",
      accessToken: "stand-in-token",
      apiSecret: "testApiSecretKey",
      generate: { customers: 2500, seed: 21, now: NOW },
    });
    try {
      const newest = `query { customers(last: 1, sortKey: UPDATED_AT) { nodes { id } } }`;
      await adminGraphql(big, newest);
      const customer = [...big.store.customers.values()][10];
      big.store.updateCustomer(customer.id, { firstName: "Moved" });
      const { body } = await adminGraphql(big, newest);
      expect(body.data.customers.nodes[0].id).toBe(`gid://shopify/Customer/${customer.id}`);
      const created = big.store.createCustomer({ firstName: "Fresh" });
      const again = await adminGraphql(big, `query { customers(last: 1) { nodes { id } } }`);
      expect(again.body.data.customers.nodes[0].id).toBe(`gid://shopify/Customer/${created.id}`);
    } finally {
      await big.close();
    }
  });
});

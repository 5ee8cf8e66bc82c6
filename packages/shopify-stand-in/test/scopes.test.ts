import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandIn, generateStore, startStandIn } from "../src";
import { NOW, adminGraphql } from "./helpers";

const DAY = 86_400_000;
let standIn: StandIn;

beforeAll(async () => {
  const store = generateStore({ customers: 60, seed: 8, now: NOW });
  store.clock = () => NOW.getTime();
  standIn = await startStandIn({
    shop: "scopes-test.myshopify.com",
    accessToken: "stand-in-token",
    apiSecret: "testApiSecretKey",
    store,
    scopes: ["read_customers", "read_orders"],
  });
});
afterAll(() => standIn.close());

describe("access scopes", () => {
  it("refuses fields and mutations outside the granted scopes with ACCESS_DENIED", async () => {
    const products = await adminGraphql(standIn, `{ products(first: 1) { nodes { id } } }`);
    expect(products.body.errors[0]).toMatchObject({
      message: "Access denied for products field. Required access: `read_products` access scope.",
      extensions: { code: "ACCESS_DENIED" },
    });
    const customer = [...standIn.store.customers.values()][0];
    const tags = await adminGraphql(
      standIn,
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["seg-x"]) { userErrors { message } } }`,
      { id: `gid://shopify/Customer/${customer.id}` },
    );
    expect(tags.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
    expect(customer.tags).not.toContain("seg-x");
  });

  it("checks each id of nodes against its type's scope: a denied one is null with ACCESS_DENIED", async () => {
    const customer = [...standIn.store.customers.values()][0];
    const product = [...standIn.store.products.values()][0];
    const result = await adminGraphql(
      standIn,
      `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { displayName defaultEmailAddress { emailAddress } } } }`,
      { ids: [`gid://shopify/Customer/${customer.id}`, `gid://shopify/Product/${product.id}`] },
    );
    expect(result.body.data.nodes).toEqual([
      {
        id: `gid://shopify/Customer/${customer.id}`,
        displayName: `${customer.firstName} ${customer.lastName}`,
        defaultEmailAddress: { emailAddress: customer.email },
      },
      null,
    ]);
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        path: ["nodes", 1],
        extensions: expect.objectContaining({ code: "ACCESS_DENIED" }),
      }),
    ]);
    const single = await adminGraphql(standIn, `query($id: ID!) { node(id: $id) { id } }`, {
      id: `gid://shopify/Product/${product.id}`,
    });
    expect(single.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
  });

  it("refuses fields the Customer type does not have (no name field besides Shopify's own)", async () => {
    const customer = [...standIn.store.customers.values()][0];
    const result = await adminGraphql(
      standIn,
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Customer { name emailAddress } } }`,
      { ids: [`gid://shopify/Customer/${customer.id}`] },
    );
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors.map((e: { message: string }) => e.message).join(" ")).toMatch(
      /Field 'name' doesn't exist on type 'Customer'/,
    );
  });

  it("refuses metafield writes on a resource without write access to it, even in $app", async () => {
    const product = [...standIn.store.products.values()][0];
    const set = await adminGraphql(
      standIn,
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`,
      {
        m: [
          {
            ownerId: `gid://shopify/Product/${product.id}`,
            namespace: "$app:persegment",
            key: "upsells",
            type: "json",
            value: "[]",
          },
        ],
      },
    );
    expect(set.body.errors[0]).toMatchObject({
      message:
        "Access denied for metafieldsSet field. Required access: `write_products` access scope.",
      extensions: { code: "ACCESS_DENIED" },
    });
    expect([...standIn.store.metafields.values()].some((m) => m.key === "upsells")).toBe(false);
    const unset = await adminGraphql(
      standIn,
      `mutation($m: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $m) { userErrors { message } } }`,
      {
        m: [
          {
            ownerId: `gid://shopify/Product/${product.id}`,
            namespace: "$app:persegment",
            key: "upsells",
          },
        ],
      },
    );
    expect(unset.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
  });

  it("hides orders older than 60 days without read_all_orders, keeping lifetime aggregates", async () => {
    const since = NOW.getTime() - 60 * DAY;
    const recent = [...standIn.store.orders.values()].filter((o) => o.processedAt >= since).length;
    expect(recent).toBeLessThan(standIn.store.orders.size);
    const { body } = await adminGraphql(
      standIn,
      `{ ordersCount(limit: null) { count } customersCount { count } }`,
    );
    expect(body.data.ordersCount.count).toBe(recent);

    const old = [...standIn.store.orders.values()].find(
      (o) => o.processedAt < since && o.customerId !== null,
    )!;
    const node = await adminGraphql(
      standIn,
      `query($id: ID!) { order(id: $id) { id } customer(id: $c) { numberOfOrders } }`.replace(
        "query($id: ID!)",
        "query($id: ID!, $c: ID!)",
      ),
      {
        id: `gid://shopify/Order/${old.id}`,
        c: `gid://shopify/Customer/${old.customerId}`,
      },
    );
    expect(node.body.data.order).toBeNull();
    expect(Number(node.body.data.customer.numberOfOrders)).toBe(
      standIn.store.customerStats(old.customerId!).numberOfOrders,
    );
  });
});

import { parse, getOperationAST } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandIn, adminSchema, startStandIn } from "../src";
import { LeakyBucket, requestedCost } from "../src/cost";
import { NOW, adminGraphql } from "./helpers";

const cost = (document: string, variables: Record<string, unknown> = {}) => {
  const ast = parse(document);
  return requestedCost(adminSchema(), ast, getOperationAST(ast)!, variables);
};

describe("query cost (Shopify's formula)", () => {
  it.each([
    ["scalars on an object cost 1", `{ shop { name currencyCode } }`, 1],
    [
      "nested objects cost 1 each",
      `{ shop { name primaryDomain { host } plan { shopifyPlus } } }`,
      3,
    ],
    ["a connection is 2 + first × node", `{ customers(first: 10) { edges { node { id } } } }`, 12],
    [
      "nodes and edges count once",
      `{ customers(first: 10) { nodes { id } edges { cursor node { id } } pageInfo { hasNextPage } } }`,
      12,
    ],
    [
      "objects inside nodes add per node",
      `{ customers(first: 50) { nodes { id amountSpent { amount } } } }`,
      102,
    ],
    [
      "nested connections multiply",
      `{ customers(first: 50) { nodes { id orders(first: 10) { nodes { id } } } } }`,
      2 + 50 * (1 + 12),
    ],
    ["last sizes like first", `{ orders(last: 250) { nodes { id } } }`, 252],
    [
      "mutations cost 10",
      `mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["a"]) { node { id } userErrors { message } } }`,
      10,
    ],
    [
      "interfaces take the widest fragment",
      `{ node(id: "gid://shopify/Customer/1") { id ... on Customer { defaultAddress { city } amountSpent { amount } } ... on Order { customer { id } } } }`,
      3,
    ],
  ])("%s", (_name, document, expected) => {
    expect(cost(document)).toBe(expected);
  });

  it("sizes connections from variables", () => {
    expect(cost(`query($n: Int) { products(first: $n) { nodes { id } } }`, { n: 100 })).toBe(102);
  });
});

describe("throttling", () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({
      shop: "cost-test.myshopify.com",
      accessToken: "stand-in-token",
      apiSecret: "testApiSecretKey",
      generate: { customers: 30, seed: 2, now: NOW },
      throttle: { maximumAvailable: 600, restoreRate: 400 },
    });
  });
  afterAll(() => standIn.close());

  const EXPENSIVE = `{ customers(first: 250) { nodes { id } } }`; // requested 252

  it("refunds requested − actual and reports it in extensions.cost", async () => {
    const { body } = await adminGraphql(standIn, EXPENSIVE);
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 252, actualQueryCost: 32 });
    expect(body.extensions.cost.throttleStatus).toMatchObject({
      maximumAvailable: 600,
      restoreRate: 400,
    });
  });

  it("throttles a burst with THROTTLED at HTTP 200, then recovers after waiting", async () => {
    // Six concurrent 253-point queries against a 600-point bucket: some must be refused.
    standIn.setThrottle({ maximumAvailable: 600, restoreRate: 400 });
    const burst = await Promise.all(
      Array.from({ length: 6 }, () =>
        adminGraphql(
          standIn,
          `{ c1: customersCount { count } a: orders(first: 250) { nodes { id } } }`,
        ),
      ),
    );
    const throttled = burst.filter(
      ({ body }) => body.errors?.[0]?.extensions?.code === "THROTTLED",
    );
    expect(throttled.length).toBeGreaterThan(0);
    for (const { status, body } of throttled) {
      expect(status).toBe(200);
      expect(body.errors[0].message).toBe("Throttled");
      expect(body.extensions.cost.actualQueryCost).toBeNull();
      expect(body.extensions.cost.requestedQueryCost).toBe(253);
    }
    const wait = Math.ceil(
      ((253 - throttled[0].body.extensions.cost.throttleStatus.currentlyAvailable) / 400) * 1000,
    );
    await new Promise((resolve) => setTimeout(resolve, wait + 100));
    const after = await adminGraphql(
      standIn,
      `{ c1: customersCount { count } a: orders(first: 250) { nodes { id } } }`,
    );
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.a.nodes.length).toBeGreaterThan(0);
  });

  it("rejects a query above 1,000 points with MAX_COST_EXCEEDED whatever the bucket", async () => {
    standIn.setThrottle({ maximumAvailable: 20_000, restoreRate: 1000 });
    const { status, body } = await adminGraphql(
      standIn,
      `{ customers(first: 250) { nodes { id orders(first: 5) { nodes { id } } } } }`,
    );
    expect(status).toBe(200);
    expect(body.errors[0].extensions).toEqual({
      code: "MAX_COST_EXCEEDED",
      cost: 2 + 250 * 8,
      maxCost: 1000,
    });
    expect(body.extensions.cost.throttleStatus.maximumAvailable).toBe(20_000);
  });

  it("the bucket refills at restoreRate per second up to its maximum", () => {
    let now = 0;
    const bucket = new LeakyBucket(2000, 100, () => now);
    expect(bucket.take(1500)).toBe(true);
    expect(bucket.take(600)).toBe(false);
    now += 1000;
    expect(bucket.status().currentlyAvailable).toBe(600);
    expect(bucket.take(600)).toBe(true);
    now += 60_000;
    expect(bucket.status().currentlyAvailable).toBe(2000);
  });
});

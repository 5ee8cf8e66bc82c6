import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StandIn, startStandIn } from "../src";
import { NOW, adminGraphql } from "./helpers";

let standIn: StandIn;
const finishes: unknown[] = [];

beforeAll(async () => {
  standIn = await startStandIn({
    shop: "bulk-test.myshopify.com",
    accessToken: "stand-in-token",
    apiSecret: "testApiSecretKey",
    generate: { customers: 80, seed: 9, now: NOW },
  });
  standIn.store.subscribe((change) => {
    if (change.topic === "bulk_operations/finish") finishes.push(change.payload);
  });
});
afterAll(() => standIn.close());

const RUN = `mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }`;
const STATUS = `query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt } }`;

async function runBulk(query: string) {
  const started = await adminGraphql(standIn, RUN, { query });
  expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
  const id = started.body.data.bulkOperationRunQuery.bulkOperation.id;
  // Poll like an app would.
  for (;;) {
    const { body } = await adminGraphql(standIn, STATUS, { id });
    const op = body.data.bulkOperation;
    if (op.status === "COMPLETED" || op.status === "FAILED") return op;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("bulk queries", () => {
  it("write Shopify's JSONL (children on their own lines with __parentId) to a URL", async () => {
    const op = await runBulk(`{ customers { edges { node { id tags amountSpent { amount }
      orders { edges { node { id name lineItems { edges { node { id quantity product { id } } } } } } } } } } }`);
    expect(op.status).toBe("COMPLETED");
    expect(op.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bulk-results\/\d+\.jsonl$/);
    const text = await (await fetch(op.url)).text();
    const lines = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const store = standIn.store;
    const customerLines = lines.filter((line) => line.id.includes("/Customer/"));
    const orderLines = lines.filter((line) => line.id.includes("/Order/"));
    const itemLines = lines.filter((line) => line.id.includes("/LineItem/"));
    expect(customerLines).toHaveLength(store.customers.size);
    expect(customerLines.every((line) => !("__parentId" in line) && !("orders" in line))).toBe(
      true,
    );
    const ordersWithCustomer = [...store.orders.values()].filter((o) => o.customerId !== null);
    expect(orderLines).toHaveLength(ordersWithCustomer.length);
    expect(itemLines).toHaveLength(ordersWithCustomer.reduce((n, o) => n + o.lineItems.length, 0));
    const sample = ordersWithCustomer[0];
    const sampleLine = orderLines.find((line) => line.id === `gid://shopify/Order/${sample.id}`);
    expect(sampleLine).toEqual({
      id: `gid://shopify/Order/${sample.id}`,
      name: `#${sample.number}`,
      __parentId: `gid://shopify/Customer/${sample.customerId}`,
    });
    const firstItem = itemLines.find((line) => line.__parentId === sampleLine.id);
    expect(firstItem).toMatchObject({
      id: `gid://shopify/LineItem/${sample.lineItems[0].id}`,
      quantity: sample.lineItems[0].quantity,
    });
    // Every child comes after its parent.
    const position = new Map(lines.map((line, index) => [line.id, index]));
    for (const line of lines)
      if (line.__parentId)
        expect(position.get(line.__parentId)!).toBeLessThan(position.get(line.id)!);
    expect(Number(op.objectCount)).toBe(lines.length);
    expect(Number(op.rootObjectCount)).toBe(store.customers.size);
    expect(Number(op.fileSize)).toBe(Buffer.byteLength(text));
    expect(finishes).toContainEqual(
      expect.objectContaining({
        admin_graphql_api_id: op.id,
        status: "completed",
        type: "query",
        error_code: null,
      }),
    );
  });

  it("list a product's collections on their own lines, after the product", async () => {
    const op = await runBulk(
      `{ products { edges { node { id collections { edges { node { id } } } } } } }`,
    );
    const lines = (await (await fetch(op.url)).text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const position = new Map(
      lines.map((line, index) => [line.id + (line.__parentId ?? ""), index]),
    );
    for (const product of standIn.store.products.values()) {
      const id = `gid://shopify/Product/${product.id}`;
      const collections = lines.filter((line) => line.__parentId === id);
      expect(collections.map((line) => line.id).sort()).toEqual(
        product.collectionIds.map((c) => `gid://shopify/Collection/${c}`).sort(),
      );
      for (const line of collections)
        expect(position.get(line.id + id)!).toBeGreaterThan(position.get(id)!);
    }
  });

  it("honour the search query and refuse queries Shopify refuses", async () => {
    const cutoff = [...standIn.store.orders.values()]
      .map((o) => o.updatedAt)
      .sort((a, b) => a - b)[50];
    const op = await runBulk(
      `{ orders(query: "updated_at:>'${new Date(cutoff).toISOString()}'") { edges { node { id updatedAt } } } }`,
    );
    const lines = (await (await fetch(op.url)).text()).trim().split("\n");
    expect(lines).toHaveLength(
      [...standIn.store.orders.values()].filter((o) => o.updatedAt > cutoff).length,
    );

    const refused = async (query: string) =>
      (await adminGraphql(standIn, RUN, { query })).body.data.bulkOperationRunQuery.userErrors[0];
    expect((await refused(`{ shop { name } }`)).message).toMatch(/at least one connection/);
    expect((await refused(`{ nodes(ids: ["gid://shopify/Customer/1"]) { id } }`)).message).toMatch(
      /top level `node` or `nodes`/,
    );
    expect((await refused(`{ customers { edges { node { nope } } } }`)).code).toBe("INVALID");
  });

  it("returns a null url when nothing matched", async () => {
    const op = await runBulk(
      `{ customers(query: "email:nobody@nowhere.test") { edges { node { id } } } }`,
    );
    expect(op).toMatchObject({ status: "COMPLETED", objectCount: "0", url: null });
  });
});

describe("bulk operation cancel", () => {
  it("bulkOperationCancel stops a running query: CANCELED, no url, finish webhook says canceled", async () => {
    const started = standIn.bulk.runQuery(`{ orders { edges { node { id } } } }`, false);
    const id = String(started.bulkOperation!.id);
    expect(standIn.bulk.cancel(id).userErrors).toEqual([]);
    await standIn.bulk.finished(id);
    const { body } = await adminGraphql(standIn, STATUS, { id });
    expect(body.data.bulkOperation).toMatchObject({ status: "CANCELED", url: null });
    expect(finishes).toContainEqual(
      expect.objectContaining({ admin_graphql_api_id: id, status: "canceled" }),
    );
    const again = await adminGraphql(
      standIn,
      `mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }`,
      { id },
    );
    expect(again.body.data.bulkOperationCancel.userErrors[0].message).toMatch(
      /cannot be canceled when it is canceled/,
    );
  });
});

describe("bulk mutations", () => {
  it("run tagsAdd once per line of a staged-upload JSONL and write a JSONL result", async () => {
    const staged = await adminGraphql(
      standIn,
      `mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "tags.jsonl", mimeType: "text/jsonl", httpMethod: POST }]) {
        stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`,
    );
    const target = staged.body.data.stagedUploadsCreate.stagedTargets[0];
    const ids = [...standIn.store.customers.keys()].slice(0, 3);
    const jsonl = ids
      .map((id) => JSON.stringify({ id: `gid://shopify/Customer/${id}`, tags: ["seg-bulk"] }))
      .join("\n");
    const form = new FormData();
    for (const { name, value } of target.parameters) form.append(name, value);
    form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "tags.jsonl");
    const upload = await fetch(target.url, { method: "POST", body: form });
    expect(upload.status).toBe(201);
    const key = target.parameters.find((p: { name: string }) => p.name === "key").value;

    const run = await adminGraphql(
      standIn,
      `mutation($path: String!) { bulkOperationRunMutation(mutation: "mutation tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { message } } }", stagedUploadPath: $path) {
        bulkOperation { id status type } userErrors { field message code } } }`,
      { path: key },
    );
    expect(run.body.data.bulkOperationRunMutation.userErrors).toEqual([]);
    const id = run.body.data.bulkOperationRunMutation.bulkOperation.id;
    await standIn.bulk.finished(id);
    const { body } = await adminGraphql(standIn, STATUS, { id });
    const results = (await (await fetch(body.data.bulkOperation.url)).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(results).toEqual(
      ids.map((customerId, index) => ({
        data: { tagsAdd: { node: { id: `gid://shopify/Customer/${customerId}` }, userErrors: [] } },
        __lineNumber: index,
      })),
    );
    for (const customerId of ids)
      expect(standIn.store.customer(customerId).tags).toContain("seg-bulk");

    const missing = await adminGraphql(
      standIn,
      `mutation { bulkOperationRunMutation(mutation: "mutation t($id: ID!) { tagsAdd(id: $id, tags: [\\"a\\"]) { userErrors { message } } }", stagedUploadPath: "tmp/none.jsonl") { userErrors { code } } }`,
    );
    expect(missing.body.data.bulkOperationRunMutation.userErrors).toEqual([
      { code: "NO_SUCH_FILE" },
    ]);
  });
});

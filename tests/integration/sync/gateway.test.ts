import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { createAdminGateway, ShopifyApiError, ShopifyUserError } from "~/shopify/gateway.server";
import { testShop } from "../../support/shopify-requests";

// A real HTTP server playing Shopify's Admin endpoint with scripted answers, one per call.
type Answer = { status?: number; headers?: Record<string, string>; body: unknown };
type Script = (call: { body: { query: string; variables?: Record<string, unknown> } }) => Answer;

let script: Script = () => ({ body: {} });
const received: { path: string; token: string | undefined; variables: unknown }[] = [];
let origin = "";

const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  const body = JSON.parse(raw);
  received.push({
    path: req.url ?? "",
    token: req.headers["x-shopify-access-token"] as string | undefined,
    variables: body.variables,
  });
  const answer = script({ body });
  res.writeHead(answer.status ?? 200, { "Content-Type": "application/json", ...answer.headers });
  res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const cost = (requested: number, actual: number | null, available: number, restoreRate = 100) => ({
  cost: {
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate },
  },
});
const ok = (data: unknown, extensions = cost(10, 5, 1990)): Answer => ({
  body: { data, extensions },
});
const throttled = (available: number): Answer => ({
  body: {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
    extensions: cost(500, null, available),
  },
});

function gateway(label: string, maxAttempts = 4) {
  const sleeps: number[] = [];
  const admin = createAdminGateway({
    shop: testShop(label),
    accessToken: "tok",
    origin,
    maxAttempts,
    baseDelayMs: 100,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { admin, sleeps };
}

function answers(...list: Answer[]) {
  let index = 0;
  script = () => list[Math.min(index++, list.length - 1)];
  return () => index;
}

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as ShopifyApiError & ShopifyUserError;
  }
  throw new Error("expected a failure");
}

const QUERY = "query Probe { shop { name } }";

describe("Admin gateway", () => {
  it("posts to the versioned endpoint with the token and returns data and costs", async () => {
    answers(ok({ shop: { name: "A" } }));
    received.length = 0;
    const { admin } = gateway("plain");
    expect(await admin.request(QUERY)).toEqual({ shop: { name: "A" } });
    expect(received[0]).toMatchObject({
      path: `/admin/api/${ADMIN_API_VERSION}/graphql.json`,
      token: "tok",
    });
    expect(admin.stats()).toEqual({ calls: 1, throttled: 0, costRequested: 10, costActual: 5 });
  });

  it("retries THROTTLED after waiting for the missing points to restore", async () => {
    const calls = answers(throttled(200), ok({ shop: { name: "A" } }));
    const { admin, sleeps } = gateway("throttled");
    expect(await admin.request(QUERY)).toEqual({ shop: { name: "A" } });
    expect(calls()).toBe(2);
    // 500 requested, 200 available, 100/s restore: at least 3 s before the retry.
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(3000);
    expect(admin.stats()).toMatchObject({ calls: 2, throttled: 1 });
  });

  it("retries HTTP 429 honouring Retry-After, and 5xx with backoff", async () => {
    const calls = answers(
      { status: 429, headers: { "Retry-After": "2" }, body: "Too many requests" },
      { status: 502, body: "<html>bad gateway</html>" },
      ok({ shop: { name: "B" } }),
    );
    const { admin, sleeps } = gateway("429");
    expect(await admin.request(QUERY)).toEqual({ shop: { name: "B" } });
    expect(calls()).toBe(3);
    expect(sleeps).toContain(2000);
    expect(admin.stats().throttled).toBe(1);
  });

  it("fails clearly after the bounded number of tries", async () => {
    const calls = answers({ status: 503, body: "unavailable" });
    const { admin } = gateway("down", 3);
    const failure = await failureOf(admin.request(QUERY));
    expect(failure).toBeInstanceOf(ShopifyApiError);
    expect(failure.message).toMatch(/Probe failed after 3 tries \(last: HTTP 503\)/);
    expect(failure.details.attempts).toBe(3);
    expect(calls()).toBe(3);
  });

  it("does not retry GraphQL errors that retrying cannot fix", async () => {
    const calls = answers({
      body: { errors: [{ message: "Field 'nope' doesn't exist" }], extensions: cost(1, 1, 1999) },
    });
    const { admin } = gateway("invalid");
    await expect(admin.request(QUERY)).rejects.toThrow(/Probe failed: Field 'nope'/);
    expect(calls()).toBe(1);
  });

  it("does not retry 401 (bad token)", async () => {
    const calls = answers({ status: 401, body: { errors: "Invalid API key or access token" } });
    const { admin } = gateway("unauthorised");
    await expect(admin.request(QUERY)).rejects.toThrow(/HTTP 401/);
    expect(calls()).toBe(1);
  });

  it("waits before sending when the last known bucket cannot pay for the query", async () => {
    // First answer: the query cost 300 and left 50 points; restore 100/s.
    answers(ok({ shop: { name: "A" } }, cost(300, 300, 50)));
    const { admin, sleeps } = gateway("pacing");
    await admin.request(QUERY);
    expect(sleeps).toEqual([]);
    await admin.request(QUERY);
    // It needed 300 and had ~50: about 2.5 s of restore, paid before the call, not after a THROTTLED.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(2000);
    expect(sleeps[0]).toBeLessThanOrEqual(2500);
    expect(admin.stats().throttled).toBe(0);
  });

  it("raises userErrors of a mutation as ShopifyUserError", async () => {
    answers(
      ok({
        tagsAdd: { node: null, userErrors: [{ field: ["id"], message: "Customer not found" }] },
      }),
    );
    const { admin } = gateway("user-errors");
    const failure = await failureOf(
      admin.mutate(
        'mutation Tag($id: ID!) { tagsAdd(id: $id, tags: ["x"]) { userErrors { field message } } }',
        { id: "gid://shopify/Customer/1" },
        "tagsAdd",
      ),
    );
    expect(failure).toBeInstanceOf(ShopifyUserError);
    expect(failure.userErrors).toEqual([{ field: ["id"], message: "Customer not found" }]);
    expect(failure.message).toBe("tagsAdd: id: Customer not found");
  });

  it("returns the payload of a successful mutation", async () => {
    answers(ok({ tagsAdd: { node: { id: "gid://shopify/Customer/1" }, userErrors: [] } }));
    const { admin } = gateway("mutation-ok");
    const payload = await admin.mutate<{ node: { id: string } }>(
      "mutation Tag { x }",
      {},
      "tagsAdd",
    );
    expect(payload.node.id).toBe("gid://shopify/Customer/1");
  });

  it("pages through a connection, passing the cursor on", async () => {
    received.length = 0;
    script = ({ body }) => {
      const after = body.variables?.after as string | null;
      const page = after === null ? 0 : Number(after);
      return ok({
        customers: {
          nodes: [{ id: `c${page * 2}` }, { id: `c${page * 2 + 1}` }],
          pageInfo: { hasNextPage: page < 2, endCursor: String(page + 1) },
        },
      });
    };
    const { admin } = gateway("paginate");
    const ids: string[] = [];
    for await (const node of admin.paginate<{ id: string }>(
      "query Ids($after: String, $query: String) { x }",
      { query: "updated_at:>2020" },
      ["customers"],
    ))
      ids.push(node.id);
    expect(ids).toEqual(["c0", "c1", "c2", "c3", "c4", "c5"]);
    expect(received.map((r) => r.variables)).toEqual([
      { query: "updated_at:>2020", after: null },
      { query: "updated_at:>2020", after: "1" },
      { query: "updated_at:>2020", after: "2" },
    ]);
  });
});

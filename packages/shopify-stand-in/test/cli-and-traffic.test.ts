import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, describe, expect, it } from "vitest";
import { API_VERSION, generateStore, startLiveTraffic, startStandIn } from "../src";
import { NOW } from "./helpers";

const CLI = path.join(import.meta.dirname, "../src/cli.ts");

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
});

/** Starts `npm run emulator`'s entry point and resolves with the origin it prints. */
function startEmulator(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...process.env, SHOPIFY_API_SECRET: "cli-secret" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise<{ origin: string; output: () => string; exit: Promise<number | null> }>(
    (resolve, reject) => {
      const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
      child.stdout!.on("data", (chunk) => {
        output += chunk;
        const match = /stand-in for \S+ at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve({ origin: match[1], output: () => output, exit });
      });
      child.stderr!.on("data", (chunk) => (output += chunk));
      void exit.then((code) => reject(new Error(`emulator exited (${code}): ${output}`)));
    },
  );
}

describe("npm run emulator", () => {
  it("generates a store and answers a schema-valid customers query", async () => {
    const emulator = await startEmulator([
      "--port",
      "0",
      "--shop",
      "cli-test.myshopify.com",
      "--token",
      "cli-token",
      "--generate",
      "200",
    ]);
    expect(emulator.output()).toContain("200 customers");
    const response = await fetch(`${emulator.origin}/admin/api/${API_VERSION}/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "cli-token" },
      body: JSON.stringify({
        query: "{ customersCount { count } customers(first: 3) { nodes { id } } }",
      }),
    });
    const body = await response.json();
    expect(body.data.customersCount.count).toBe(200);
    expect(body.data.customers.nodes).toHaveLength(3);
  });

  it("refuses bad arguments with a clear message", async () => {
    await expect(startEmulator(["--shop", "not a shop", "--token", "t"])).rejects.toThrow(
      /--shop is required and must look like/,
    );
    await expect(
      startEmulator(["--shop", "a.myshopify.com", "--token", "t", "--generate", "lots"]),
    ).rejects.toThrow(/--generate must be an integer/);
  });
});

describe("token exchange", () => {
  it("exchanges a genuine session token for the shop's offline token, and refuses a forged one", async () => {
    const shop = "exchange-test.myshopify.com";
    const standIn = await startStandIn({
      shop,
      accessToken: "offline-token",
      apiSecret: "testApiSecretKey",
      apiKey: "testApiKey",
      store: generateStore({ customers: 0, now: NOW }),
    });
    try {
      const exchange = async (secret: string) => {
        const { token } = await getJwt("exchange-test", "testApiKey", secret);
        return fetch(`${standIn.origin}/admin/oauth/access_token`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            client_id: "testApiKey",
            client_secret: "testApiSecretKey",
            grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
            subject_token: token,
            subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
            requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
          }),
        });
      };
      const ok = await exchange("testApiSecretKey");
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({
        access_token: "offline-token",
        scope: expect.stringContaining("read_customers"),
      });
      expect((await exchange("forged-secret")).status).toBe(400);
    } finally {
      await standIn.close();
    }
  });
});

describe("live traffic", () => {
  it("places orders at the chosen rate, each announced by webhook", async () => {
    const store = generateStore({ customers: 30, seed: 4, now: NOW });
    const before = store.orders.size;
    const topics: string[] = [];
    store.subscribe((change) => topics.push(change.topic));
    const traffic = startLiveTraffic(store, { ordersPerSecond: 50, seed: 1 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    traffic.stop();
    const placed = store.orders.size - before;
    expect(placed).toBe(traffic.stats().orders);
    expect(placed).toBeGreaterThanOrEqual(10);
    expect(placed).toBeLessThanOrEqual(30);
    expect(topics.filter((topic) => topic === "orders/create")).toHaveLength(placed);
  });
});

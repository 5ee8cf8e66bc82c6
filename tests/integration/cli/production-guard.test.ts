// The operator CLI under NODE_ENV=production never sends a shop's token to the server
// SHOPIFY_ADMIN_API_ORIGIN names (a stand-in is for development and tests only).
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/offline-sessions.server";
import { testShop } from "../../support/shopify-requests";

const run = promisify(execFile);
const shop = testShop("cli-production");
const received: string[] = [];
const listener = createServer((request, response) => {
  received.push(`${request.method} ${request.url} ${request.headers["x-shopify-access-token"]}`);
  response.writeHead(500).end();
});
let origin: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const scopes =
    "read_customers,write_customers,read_orders,read_all_orders,read_products,write_products";
  await recordInstall(shop, scopes);
  await saveOfflineToken(shop, "shpat_secret_offline_token", scopes);
});

afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

describe("npm run cli in production", () => {
  it.each([
    ["sync", shop, "--full"],
    ["tags", "apply", shop],
  ])("%s refuses SHOPIFY_ADMIN_API_ORIGIN and sends nothing", async (...args) => {
    const outcome = await run("node_modules/.bin/tsx", ["app/cli/main.ts", ...args], {
      env: { ...process.env, NODE_ENV: "production", SHOPIFY_ADMIN_API_ORIGIN: origin },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain("refused in production");
    expect(received).toEqual([]);
  });
});

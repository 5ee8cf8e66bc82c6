// `npm run cli -- cleanup <shop> [--dry-run]` as an operator runs it (a separate process, the
// stand-in as Shopify).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/models/shop.server";
import { saveOfflineToken } from "~/models/sync.server";
import { createAdminGateway } from "~/shopify/gateway.server";
import { startStandIn, type StandIn } from "../../shopify-stand-in";
import { requestedScopes, testShop } from "../../support/shopify-requests";
import { appMetafields, cleanupTestStore, dirtyTheStore, storeSnapshot } from "./fixtures";

const run = promisify(execFile);
const TOKEN = "cleanup-cli-token";
const shop = testShop("cleanup-cli");
let standIn: StandIn;
let ids: number[];

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["app/cli/main.ts", ...args], {
      env: { ...process.env, NODE_ENV: "test", SHOPIFY_ADMIN_API_ORIGIN: standIn.origin },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  const built = cleanupTestStore(shop);
  ids = built.ids;
  standIn = await startStandIn({
    shop,
    accessToken: TOKEN,
    apiSecret: "testApiSecretKey",
    store: built.store,
    apiKey: "testApiKey",
    scopes: requestedScopes(),
  });
  await recordInstall(shop, requestedScopes().join(","));
  await saveOfflineToken(shop, TOKEN, requestedScopes().join(","));
  const gateway = createAdminGateway({ shop, accessToken: TOKEN, origin: standIn.origin });
  await dirtyTheStore(gateway, shop, standIn, ids, 3);
});

afterAll(async () => {
  await standIn?.close();
});

describe("cli cleanup", () => {
  it("refuses a shop the app does not hold", async () => {
    const result = await cli("cleanup", "nope.myshopify.com", "--dry-run");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown shop "nope.myshopify.com"');
  });

  it("--dry-run reports what would go and changes nothing; the run removes it; a rerun is a no-op", async () => {
    const before = storeSnapshot(standIn, ids);
    const dry = await cli("cleanup", shop, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      "dry run: would remove 5 app tags from 4 customers, 2 Shopify segments, 1 shop and 3 product metafields",
    );
    expect(storeSnapshot(standIn, ids)).toEqual(before);

    const real = await cli("cleanup", shop);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain("removed 5 tags, 2 Shopify segments, 4 metafields");
    expect(appMetafields(standIn)).toEqual([]);

    const again = await cli("cleanup", shop);
    expect(again.stdout).toContain("API calls made: 0");
  });
});

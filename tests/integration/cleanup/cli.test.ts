// `npm run cli -- cleanup <shop> [--dry-run]` as an operator runs it (a separate process, the
// stand-in as Shopify).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StandIn } from "@persegment/shopify-stand-in";
import { testShop } from "../../support/shopify-requests";
import { appMetafields, startDirtyStore, storeSnapshot } from "./fixtures";
import { runCli } from "../../support/cli";

const TOKEN = "cleanup-cli-token";
const shop = testShop("cleanup-cli");
let standIn: StandIn;
let ids: number[];

const cli = (...args: string[]) =>
  runCli(args, { NODE_ENV: "test", SHOPIFY_ADMIN_API_ORIGIN: standIn.origin });

beforeAll(async () => {
  ({ standIn, ids } = await startDirtyStore(shop, TOKEN, 3));
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

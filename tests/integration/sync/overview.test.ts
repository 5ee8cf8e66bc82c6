import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { recordInstall } from "~/models/shop.server";
import { action, loader } from "~/routes/app._index";
import { pipeline, startBackgroundWork } from "~/pipeline.server";
import { reconcileShop, shopsToKeepInStep } from "~/sync/jobs.server";
import { generateStore, startStandIn, type StandIn } from "@persegment/shopify-stand-in";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { customersChanged } from "../../support/pipeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function untilFullSyncFinished(shop: string) {
  for (let i = 0; i < 600; i++) {
    const run = await prisma.syncRun.findFirst({ where: { shop, kind: "full" } });
    if (run && run.status !== "running") return run;
    await sleep(50);
  }
  throw new Error("full sync did not finish");
}

describe("Overview: sync status, Sync now, order history notice", () => {
  let standIn: StandIn;
  let shop: string;
  const previousOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN;

  beforeAll(async () => {
    shop = testShop("overview-sync");
    const session = await storeOfflineSession(shop);
    standIn = await startStandIn({
      shop,
      accessToken: session.accessToken!,
      apiSecret: "testApiSecretKey",
      store: generateStore({ customers: 120, seed: 41 }),
      scopes: ["read_customers", "read_orders", "read_products"],
    });
    // gatewayForShop (used by the route and the schedule) goes to the configured stand-in.
    process.env.SHOPIFY_ADMIN_API_ORIGIN = standIn.origin;
    // "Sync now" sends a job: this test runs the background work as the server does.
    await startBackgroundWork();
  });
  afterAll(async () => {
    await pipeline().jobs.stop();
    process.env.SHOPIFY_ADMIN_API_ORIGIN = previousOrigin;
    await standIn.close();
  });

  it("shows no import before the first one, and Sync now runs a full import", async () => {
    await recordInstall(shop, "read_customers,read_orders,read_all_orders,read_products");
    const before = await loader({ request: await adminRequest(shop), params: {}, context: {} });
    expect(before.sync.full).toBeNull();
    expect(before.limitedHistory).toBe(false);

    const form = new FormData();
    form.set("intent", "sync-now");
    const request = await adminRequest(shop);
    const posted = await action({
      request: new Request(request.url, { method: "POST", headers: request.headers, body: form }),
      params: {},
      context: {},
    });
    expect(posted).toEqual({ ok: true, error: null });
    const run = await untilFullSyncFinished(shop);
    expect(run.status).toBe("succeeded");

    const after = await loader({ request: await adminRequest(shop), params: {}, context: {} });
    expect(after.sync.full).toMatchObject({ status: "succeeded", phase: "done" });
    expect(after.summary.customers).toBe(standIn.store.customers.size);
    // The import read the granted scopes from Shopify: no read_all_orders here.
    expect(after.limitedHistory).toBe(true);
    // Setup guide: no read_themes granted here, so the embed cannot be read and says why.
    expect(after.embed).toMatchObject({ state: "unknown", needsPermission: true });
    expect(after.taggedSegments).toBe(0);
    expect(after.bars).toBe(0);
    expect(after.embedUrl).toBe(
      `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=testApiKey/top-bar`,
    );
    // What runs by itself, with the next check of each schedule still ahead.
    expect(after.automatic.map((entry) => entry.job).sort()).toEqual(
      [
        "engagement.read",
        "predictions.refresh",
        "segments.performance",
        "segments.recompute",
        "storefront.publish",
        "sync.reconcile",
        "tags.write",
      ].sort(),
    );
    for (const entry of after.automatic)
      expect(Date.parse(entry.nextCheck)).toBeGreaterThan(Date.now() - 1000);
  });

  it("the scheduled pass reconciles installed shops; install does not re-import a synced shop", async () => {
    await pipeline().afterInstall(shop);
    expect(await prisma.syncRun.count({ where: { shop, kind: "full" } })).toBe(1);
    const [customer] = standIn.store.customers.keys();
    standIn.store.updateCustomer(customer, { tags: ["changed-while-away"] });
    expect(await shopsToKeepInStep()).toContain(shop);
    await reconcileShop(shop, customersChanged);
    const reconcile = await prisma.syncRun.findFirstOrThrow({ where: { shop, kind: "reconcile" } });
    expect(reconcile.status).toBe("succeeded");
    expect(JSON.parse(reconcile.report!).customers.updated).toBe(1);
    const row = await prisma.customer.findFirstOrThrow({
      where: { shop, id: `gid://shopify/Customer/${customer}` },
    });
    expect(row.tags).toBe("changed-while-away");
  });

  it("refuses an unknown action", async () => {
    const form = new FormData();
    form.set("intent", "explode");
    const request = await adminRequest(shop);
    const result = await action({
      request: new Request(request.url, { method: "POST", headers: request.headers, body: form }),
      params: {},
      context: {},
    });
    expect(result).toMatchObject({ ok: false });
  });
});

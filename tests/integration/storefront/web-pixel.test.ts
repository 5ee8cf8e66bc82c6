// The app's web pixel connected to a shop through the gateway, against the Shopify stand-in: on
// install the storefront.pixel job creates it with the collector's URL; run again it changes
// nothing; when the app moves it updates the settings; without the pixel scopes Shopify refuses
// and nothing is connected.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InProcessJobs } from "~/jobs/in-process.server";
import { recordInstall } from "~/models/shop.server";
import { createPipeline } from "~/pipeline.server";
import { createAdminGateway, ShopifyApiError } from "~/shopify/gateway.server";
import { connectWebPixel } from "~/storefront/web-pixel.server";
import { generateStore, startStandIn, type StandIn } from "@persegment/shopify-stand-in";
import { APP_SCOPES, APP_URL, storeOfflineSession, testShop } from "../../support/shopify-requests";

const shop = testShop("web-pixel");
let standIn: StandIn;
let accessToken: string;

beforeAll(async () => {
  accessToken = (await storeOfflineSession(shop)).accessToken!;
  standIn = await startStandIn({
    shop,
    accessToken,
    apiSecret: "testApiSecretKey",
    store: generateStore({ customers: 5, seed: 5 }),
    scopes: APP_SCOPES.split(","),
  });
  vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await standIn?.close();
});

describe("the app's web pixel", () => {
  it("is connected after install with the collector's URL, then left alone, then moved with the app", async () => {
    let engine!: InProcessJobs;
    const pipeline = createPipeline((jobs) => (engine = new InProcessJobs(jobs)));
    await recordInstall(shop, APP_SCOPES);
    await pipeline.afterInstall(shop);
    expect(engine.waitingKeys("storefront.pixel")).toEqual([shop]);
    await engine.runWaiting("storefront.pixel");
    expect(await engine.lastRun("storefront.pixel", shop)).toMatchObject({ failed: false });
    expect(standIn.store.webPixel?.settings).toEqual({ collectorUrl: `${APP_URL}/pixel/events` });
    await pipeline.jobs.stop();

    const gateway = createAdminGateway({ shop, accessToken, origin: standIn.origin });
    const id = `gid://shopify/WebPixel/${standIn.store.webPixel!.id}`;
    const calls = gateway.stats().calls;
    expect(await connectWebPixel(gateway, APP_URL)).toEqual({ done: "unchanged", id });
    expect(gateway.stats().calls - calls).toBe(1);

    expect(await connectWebPixel(gateway, "https://persegment.example/")).toEqual({
      done: "updated",
      id,
    });
    expect(standIn.store.webPixel?.settings).toEqual({
      collectorUrl: "https://persegment.example/pixel/events",
    });
  });

  it("is refused without write_pixels and read_customer_events, and nothing is connected", async () => {
    const other = testShop("web-pixel-scopes");
    const limited = await startStandIn({
      shop: other,
      accessToken: "limited-token",
      apiSecret: "testApiSecretKey",
      store: generateStore({ customers: 5, seed: 6 }),
      scopes: APP_SCOPES.split(",").filter(
        (scope) => scope !== "write_pixels" && scope !== "read_customer_events",
      ),
    });
    try {
      const gateway = createAdminGateway({
        shop: other,
        accessToken: "limited-token",
        origin: limited.origin,
      });
      const refused = await connectWebPixel(gateway, APP_URL).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ShopifyApiError);
      expect(String(refused)).toMatch(/ACCESS_DENIED|Access denied for webPixel/);
      expect(limited.store.webPixel).toBeNull();
    } finally {
      await limited.close();
    }
  });
});

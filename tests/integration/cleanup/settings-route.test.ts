// The Settings page's "Remove everything" card through its route action, against the stand-in:
// a dry run that changes nothing, the confirmed run, and a bad intent refused with nothing changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { getShopSettings } from "~/models/shop.server";
import { action } from "~/routes/app.settings";
import type { StandIn } from "@persegment/shopify-stand-in";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { appMetafields, startDirtyStore, storeSnapshot } from "./fixtures";

const shop = testShop("cleanup-route");
const accessToken = "cleanup-route-token";
const previousOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN;
let standIn: StandIn;
let ids: number[];

/** Posts the form and returns the action's data and HTTP status (200 unless it says otherwise). */
async function post(fields: Record<string, string>) {
  const signed = await adminRequest(shop, "/app/settings");
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const result: unknown = await action({
    request: new Request(signed.url, { method: "POST", body }),
    params: {},
    context: {},
  });
  if (result instanceof Response) return { status: result.status, data: await result.json() };
  const wrapped = result as { type?: string; data: unknown; init?: { status?: number } };
  if (wrapped.type === "DataWithResponseInit")
    return { status: wrapped.init?.status ?? 200, data: wrapped.data as Record<string, unknown> };
  return { status: 200, data: result as Record<string, unknown> };
}

async function databaseState() {
  return {
    tagging: await prisma.segment.count({ where: { shop, tagEnabled: true } }),
    openLedger: await prisma.tagLedger.count({ where: { shop, state: { not: "removed" } } }),
    published: await prisma.publishedMetafield.count({ where: { shop } }),
    shop: await prisma.shop.findUnique({ where: { domain: shop } }),
  };
}

beforeAll(async () => {
  // The admin session first: the offline token saved after it is the one the stand-in accepts.
  await storeOfflineSession(shop);
  ({ standIn, ids } = await startDirtyStore(shop, accessToken, 3));
  process.env.SHOPIFY_ADMIN_API_ORIGIN = standIn.origin;
});

afterAll(async () => {
  process.env.SHOPIFY_ADMIN_API_ORIGIN = previousOrigin;
  await standIn?.close();
});

describe("Settings: remove everything Persegment wrote", () => {
  it("refuses an unknown intent with a 400 and changes nothing", async () => {
    const store = storeSnapshot(standIn, ids);
    const database = await databaseState();
    for (const intent of ["cleanup", "remove-everything", ""]) {
      const { status, data } = await post({ intent });
      expect(status).toBe(400);
      expect(data).toEqual({ error: `Unknown action "${intent}".` });
    }
    expect(storeSnapshot(standIn, ids)).toEqual(store);
    expect(await databaseState()).toEqual(database);
  });

  it("previews what would be removed, changing nothing", async () => {
    const store = storeSnapshot(standIn, ids);
    const database = await databaseState();
    const { status, data } = await post({ intent: "cleanup-preview" });
    expect(status).toBe(200);
    expect(data).toMatchObject({
      intent: "cleanup-preview",
      report: {
        dryRun: true,
        planned: {
          tags: { removals: 5, customers: 4 },
          shopifySegments: { count: 2 },
          metafields: { shop: 1, products: 3 },
          nothingToRemove: false,
        },
      },
    });
    expect(storeSnapshot(standIn, ids)).toEqual(store);
    expect(await databaseState()).toEqual(database);
  });

  it("removes everything once confirmed, then has nothing left to remove", async () => {
    const { data } = await post({ intent: "cleanup-run" });
    expect(data).toMatchObject({
      intent: "cleanup-run",
      report: {
        removed: { tags: 5, shopifySegments: 2, metafields: 4 },
        tagFailures: [],
        segmentFailures: [],
      },
    });
    expect(appMetafields(standIn)).toEqual([]);
    expect(storeSnapshot(standIn, ids).segments).toEqual(["Big spenders (by hand)"]);
    expect(await databaseState()).toMatchObject({ tagging: 0, openLedger: 0, published: 0 });

    const again = await post({ intent: "cleanup-preview" });
    expect(again.data).toMatchObject({ report: { planned: { nothingToRemove: true } } });
  });

  it("still saves settings from the settings form", async () => {
    const { status, data } = await post({
      intent: "save",
      tagPrefix: "pk-",
      newBuyerDays: "30",
      lapsedDays: "90",
      vipPercentile: "90",
      discountSeekerShare: "50",
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({ saved: true });
    expect((await getShopSettings(shop)).tagPrefix).toBe("pk-");
  });
});

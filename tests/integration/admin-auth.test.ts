import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { loader as overviewLoader } from "~/routes/app._index";
import { adminRequest, APP_URL, storeOfflineSession, testShop } from "../support/shopify-requests";
import { responseOf } from "../support/responses";

describe("embedded admin authentication", () => {
  it("serves the Overview to a request with a valid session token, from the shop's own data", async () => {
    const shop = testShop("overview");
    await storeOfflineSession(shop);
    const now = new Date();
    await prisma.customer.createMany({
      data: [1, 2, 3].map((n) => ({
        shop,
        id: `gid://shopify/Customer/${n}`,
        createdAt: now,
        updatedAt: now,
      })),
    });
    await prisma.syncRun.create({
      data: {
        shop,
        kind: "full",
        status: "running",
        phase: "orders",
        recordsDone: 40,
        recordsTotal: 100,
      },
    });

    const result = await overviewLoader({
      request: await adminRequest(shop),
      params: {},
      context: {},
    });

    expect(result.shop).toBe(shop);
    expect(result.summary).toMatchObject({ customers: 3, orders: 0, products: 0 });
    expect(result.summary.latestSync).toMatchObject({
      status: "running",
      phase: "orders",
      recordsDone: 40,
    });
  });

  it("sends a request without a session token to log in, and exposes no data", async () => {
    const response = await responseOf(() =>
      overviewLoader({
        request: new Request(`${APP_URL}/app?shop=nobody.myshopify.com`),
        params: {},
        context: {},
      }),
    );
    expect([302, 401]).toContain(response.status);
  });

  it("rejects a session token signed with another secret", async () => {
    const shop = testShop("forged-token");
    await storeOfflineSession(shop);
    const request = await adminRequest(shop);
    const url = new URL(request.url);
    const token = url.searchParams.get("id_token")!;
    url.searchParams.set("id_token", `${token.slice(0, -4)}AAAA`);
    const response = await responseOf(() =>
      overviewLoader({
        request: new Request(url, { headers: request.headers }),
        params: {},
        context: {},
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).not.toBe(200);
  });
});

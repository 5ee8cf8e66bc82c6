// A bar's views and clicks, end to end on the demo (the real pipeline on the Shopify stand-in, the
// app connected its web pixel, the built app behind the local admin): a lapsed customer opens the
// storefront preview in Chromium, which runs the pixel in its sandbox worker, twice. While a page
// renders nothing at all goes to the app; clicking the bar sends the pixel's batch (with the
// first view's count, kept in the session) to the app's collector, and the bar's results page
// then counts both views and the click.
import type { Frame, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { setUpDemoAdmin, STILL_SHOP_SCHEDULES } from "../../support/demo-admin";

const e2e = setUpDemoAdmin({
  shop: "persegment-demo-pixel.myshopify.com",
  customers: 300,
  liveOrdersPerSecond: 0,
  schedules: STILL_SHOP_SCHEDULES,
});

const BAR = "We miss you";

/** The cells of the results page's "All days" row: shown, clicks, closed, click-through. */
async function allDays(frame: Frame) {
  const row = frame.getByRole("row").filter({ hasText: "All days" });
  await row.waitFor({ timeout: 30_000 });
  return (await row.locator("td").allTextContents()).map((text) => text.trim());
}

async function resultsFrame(barId: string) {
  const frame = await e2e.openAppFrame(`/app/storefront/bars/${barId}/results`);
  await frame.getByRole("heading", { name: "Views and clicks" }).waitFor({ timeout: 30_000 });
  return frame;
}

describe("the bar's views and clicks", () => {
  it("reach the results page from a click in the storefront, with no request to the app while the page renders", async () => {
    const bar = (await prisma.bar.findFirst({ where: { shop: e2e.demo.shop, name: BAR } }))!;
    // The app connected its pixel to the shop, pointed at its collector.
    const collector = new URL("/pixel/events", e2e.demo.adminUrl).href;
    expect(e2e.demo.standIn.store.webPixel?.settings).toEqual({ collectorUrl: collector });

    const before = await resultsFrame(bar.id);
    await before.getByText("No views counted yet").waitFor();

    const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      // The app's public origin (the admin host proxies it) and the app server itself.
      const appOrigins = new Set([new URL(collector).origin, e2e.demo.appOrigin]);
      const toApp: Request[] = [];
      context.on("request", (request) => {
        if (appOrigins.has(new URL(request.url()).origin)) toApp.push(request);
      });
      const page = await context.newPage();
      const shown = page.locator(`persegment-bar[data-bar-id="${bar.id}"]`);
      /** Opens the lapsed customer's page: the requests to the app while it renders. */
      const pageView = async () => {
        const sentBefore = toApp.length;
        await page.goto(`${e2e.demo.previewUrl}personas/lapsed`, { waitUntil: "load" });
        await page.waitForLoadState("networkidle");
        await expect(shown.isVisible()).resolves.toBe(true);
        expect(page.workers().map((worker) => new URL(worker.url()).pathname)).toEqual([
          "/web-pixels/persegment-pixel.js",
        ]);
        return toApp.slice(sentBefore).map((request) => request.url());
      };
      // Two views of the page: the first one's count waits in the session for a later batch.
      expect(await pageView()).toEqual([]);
      expect(await pageView()).toEqual([]);

      const batch = context.waitForEvent("request", (request) => request.url() === collector);
      await shown.locator(".persegment-bar__link").click();
      const sent = await batch;
      expect(sent.method()).toBe("POST");
      const { shop, counts } = JSON.parse(sent.postData() ?? "");
      expect(shop).toBe(e2e.demo.shop);
      expect(counts).toContainEqual({ barId: bar.id, kind: "click", count: 1 });
      // A beacon's answer goes unseen (the page has moved on): the collector stored the batch.
      const stored = () =>
        prisma.barEventDay.findMany({
          where: { shop: e2e.demo.shop, barId: bar.id },
          select: { kind: true, count: true },
          orderBy: { kind: "asc" },
        });
      await expect.poll(stored, { timeout: 15_000 }).toEqual([
        { kind: "click", count: 1 },
        { kind: "impression", count: 2 },
      ]);
      // The click's batch, and one more only if a page stayed open past the pixel's quiet flush.
      expect(toApp.length).toBeLessThanOrEqual(2);
    } finally {
      await context.close();
    }

    const after = await resultsFrame(bar.id);
    expect(await allDays(after)).toEqual(["2", "1", "0", "50.0 %"]);
  });
});

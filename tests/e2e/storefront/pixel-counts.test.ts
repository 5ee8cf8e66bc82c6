// A bar's views and clicks, end to end on the demo (the real pipeline on the Shopify stand-in, the
// app connected its web pixel, the built app behind the local admin): a lapsed customer opens the
// storefront preview in Chromium, which runs the pixel in its sandbox worker. While the page
// renders nothing at all goes to the app; clicking the bar sends the pixel's one batch to the
// app's collector, and the bar's results page then counts the view and the click.
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
      await page.goto(`${e2e.demo.previewUrl}personas/lapsed`, { waitUntil: "load" });
      await page.waitForLoadState("networkidle");
      const shown = page.locator(`persegment-bar[data-bar-id="${bar.id}"]`);
      await expect(shown.isVisible()).resolves.toBe(true);
      expect(page.workers().map((worker) => new URL(worker.url()).pathname)).toEqual([
        "/web-pixels/persegment-pixel.js",
      ]);
      expect(toApp.map((request) => request.url())).toEqual([]);
      expect(await prisma.barEventDay.count({ where: { shop: e2e.demo.shop } })).toBe(0);

      const batch = context.waitForEvent("request", (request) => request.url() === collector);
      await shown.locator(".persegment-bar__link").click();
      const sent = await batch;
      expect(sent.method()).toBe("POST");
      expect(JSON.parse(sent.postData() ?? "")).toEqual({
        shop: e2e.demo.shop,
        counts: [
          { barId: bar.id, kind: "impression", count: 1 },
          { barId: bar.id, kind: "click", count: 1 },
        ],
      });
      // A beacon's answer goes unseen (the page has moved on): the collector stored the batch.
      await expect
        .poll(() => prisma.barEventDay.count({ where: { shop: e2e.demo.shop, barId: bar.id } }), {
          timeout: 15_000,
        })
        .toBe(2);
      expect(toApp).toHaveLength(1);
    } finally {
      await context.close();
    }

    const after = await resultsFrame(bar.id);
    expect(await allDays(after)).toEqual(["1", "1", "0", "100.0 %"]);
  });
});

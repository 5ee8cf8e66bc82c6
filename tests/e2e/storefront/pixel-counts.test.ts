// A bar's views and clicks, end to end on the demo (the real pipeline on the Shopify stand-in, the
// app connected its web pixel, the built app behind the local admin): a lapsed customer opens the
// storefront preview in Chromium, which runs the pixel in its sandbox worker. While a page renders
// nothing at all goes to the app. The shopper sees the bar twice, clicks its link, goes on to the
// cart and closes the bar there; the closing sends the pixel's batch at once, and the bar's results
// page counts three views, the click and the closing. The click's own batch may or may not leave
// before the next page ends the clicked one (the preview answers in a millisecond): either way
// it is counted once, by its beacon or from the bar script's note on the next page. A second
// shopper's click event never reaches the pixel (as when the next page comes first every time):
// the note alone counts it.
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
/** Shopify.analytics.publish, the customer events bus of the storefront's pixel manager. */
type Publish = (name: string, data: unknown) => void;

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

/** What one shopper's visit sent to the app: every request, and the closing's batch. */
async function visit(barId: string, options: { clickEventLost: boolean }) {
  const collector = new URL("/pixel/events", e2e.demo.adminUrl).href;
  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    // The app's public origin (the admin host proxies it) and the app server itself.
    const appOrigins = new Set([new URL(collector).origin, e2e.demo.appOrigin]);
    const toApp: Request[] = [];
    context.on("request", (request) => {
      if (appOrigins.has(new URL(request.url()).origin)) toApp.push(request);
    });
    const page = await context.newPage();
    const shown = page.locator(`persegment-bar[data-bar-id="${barId}"]`);
    /** Opens one of the lapsed customer's pages: the requests to the app while it renders. */
    const pageView = async (path: string) => {
      const sentBefore = toApp.length;
      await page.goto(`${e2e.demo.previewUrl}${path}`, { waitUntil: "load" });
      await page.waitForLoadState("networkidle");
      await expect(shown.isVisible()).resolves.toBe(true);
      expect(page.workers().map((worker) => new URL(worker.url()).pathname)).toEqual([
        "/web-pixels/persegment-pixel.js",
      ]);
      return toApp.slice(sentBefore).map((request) => request.url());
    };
    // Two views of the page: the first one's count waits in the session for a later batch.
    expect(await pageView("personas/lapsed")).toEqual([]);
    expect(await pageView("personas/lapsed")).toEqual([]);
    if (options.clickEventLost)
      await page.evaluate(() => {
        const { analytics } = (
          window as unknown as { Shopify: { analytics: { publish: Publish } } }
        ).Shopify;
        const publish = analytics.publish;
        analytics.publish = (name: string, data: unknown) =>
          name === "persegment:bar_click" ? undefined : publish(name, data);
      });
    await shown.locator(".persegment-bar__link").click();
    await page.waitForURL(/\/collections\/all$/);
    expect(await pageView("cart")).toEqual([]);

    const batch = context.waitForEvent("request", (request) => request.url() === collector);
    await shown.getByRole("button", { name: "Dismiss announcement" }).click();
    const closing = await batch;
    expect(closing.method()).toBe("POST");
    const { shop, counts } = JSON.parse(closing.postData() ?? "");
    expect(shop).toBe(e2e.demo.shop);
    expect(counts).toContainEqual({ barId, kind: "dismiss", count: 1 });
    return { toApp, counts: counts as unknown[] };
  } finally {
    await context.close();
  }
}

/** The bar's counts as the collector stored them (a beacon's answer goes unseen). */
const stored = (barId: string) =>
  prisma.barEventDay.findMany({
    where: { shop: e2e.demo.shop, barId },
    select: { kind: true, count: true },
    orderBy: { kind: "asc" },
  });

describe("the bar's views and clicks", () => {
  it("reach the results page from the storefront, with no request to the app while a page renders", async () => {
    const bar = (await prisma.bar.findFirst({ where: { shop: e2e.demo.shop, name: BAR } }))!;
    // The app connected its pixel to the shop, pointed at its collector.
    const collector = new URL("/pixel/events", e2e.demo.adminUrl).href;
    expect(e2e.demo.standIn.store.webPixel?.settings).toEqual({ collectorUrl: collector });
    const before = await resultsFrame(bar.id);
    await before.getByText("No views counted yet").waitFor();

    const { toApp } = await visit(bar.id, { clickEventLost: false });
    await expect
      .poll(() => stored(bar.id), { timeout: 15_000 })
      .toEqual([
        { kind: "click", count: 1 },
        { kind: "dismiss", count: 1 },
        { kind: "impression", count: 3 },
      ]);
    // The click's batch if it left before the next page, and the closing's.
    expect(toApp.length).toBeLessThanOrEqual(2);

    const after = await resultsFrame(bar.id);
    expect(await allDays(after)).toEqual(["3", "1", "1", "33.3 %"]);
  });

  it("count a click whose event the pixel never heard, once, from the bar script's note", async () => {
    const bar = (await prisma.bar.findFirst({ where: { shop: e2e.demo.shop, name: BAR } }))!;
    const { toApp, counts } = await visit(bar.id, { clickEventLost: true });
    // Nothing left at the click; the closing's batch carries the noted click and the views.
    expect(toApp).toHaveLength(1);
    expect(counts).toContainEqual({ barId: bar.id, kind: "click", count: 1 });
    await expect
      .poll(() => stored(bar.id), { timeout: 15_000 })
      .toEqual([
        { kind: "click", count: 2 },
        { kind: "dismiss", count: 2 },
        { kind: "impression", count: 6 },
      ]);
  });
});

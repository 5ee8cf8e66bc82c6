// A bar's results as a merchant reads them, in the demo (the real pipeline on the Shopify stand-in,
// the built app in the local admin's iframe; the demo's bars went live four weeks ago): reached
// from the bar list, the numbers are the service's for the stored rows, shown in the shop's
// currency, and the page fits a phone. Turning the bar's holdout off in its editor persists and
// leaves the results page with its empty state.
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { barResults } from "~/measurement/bar-lift.server";
import { appFrame, setUpDemoAdmin, STILL_SHOP_SCHEDULES } from "../../support/demo-admin";

const e2e = setUpDemoAdmin({
  shop: "persegment-demo-bar-results.myshopify.com",
  customers: 300,
  liveOrdersPerSecond: 0,
  schedules: STILL_SHOP_SCHEDULES,
});

const BAR = "Free shipping";
const count = new Intl.NumberFormat("en-US");
const framePath = (frame: Frame) => new URL(frame.url()).pathname;
const storedBar = () => prisma.bar.findFirst({ where: { shop: e2e.demo.shop, name: BAR } });

describe("bar results", () => {
  it("opens from the bar list and shows the report's numbers for the stored orders", async () => {
    const bar = (await storedBar())!;
    const frame = await e2e.openAppFrame("/app/storefront");
    const row = frame
      .getByRole("row")
      .filter({ has: frame.getByRole("link", { name: BAR, exact: true }) });
    await row.getByRole("link", { name: "Results" }).click({ timeout: 30_000 });
    await expect
      .poll(() => framePath(frame), { timeout: 30_000 })
      .toBe(`/app/storefront/bars/${bar.id}/results`);
    await frame.getByRole("heading", { level: 1, name: `Results: ${BAR}` }).waitFor();

    const results = await barResults(e2e.demo.shop, bar.id);
    expect(results?.kind).toBe("measured");
    if (results?.kind !== "measured") return;
    const { report, verdict } = results.lift;
    // The demo's 300 customers, a tenth of them held out, four weeks of orders.
    expect(report.shownCustomers + report.heldOutCustomers).toBe(300);
    expect(report.heldOutCustomers).toBeGreaterThan(10);
    /** A row's shown and held-out cells (after its label). */
    const cells = async (label: string) => {
      const row = frame.getByRole("row").filter({ hasText: label }).first();
      const texts = await row.locator("th, td").allTextContents();
      return texts.slice(1, 3).map((text) => text.trim());
    };
    expect(await cells("Customers")).toEqual([
      count.format(report.shownCustomers),
      count.format(report.heldOutCustomers),
    ]);
    const percent = (share: number) => `${(100 * share).toFixed(1)} %`;
    expect(await cells("Ordered at least once")).toEqual([
      percent(report.conversion.shown),
      percent(report.conversion.heldOut),
    ]);
    const { currencyCode } = (await prisma.shop.findUnique({ where: { domain: e2e.demo.shop } }))!;
    const money = (cents: number) =>
      new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(
        Math.round(cents) / 100,
      );
    expect(await cells("Revenue per customer")).toEqual([
      money(report.revenuePerCustomerCents.shown),
      money(report.revenuePerCustomerCents.heldOut),
    ]);
    // The verdict in words, with the interval of the conversion difference.
    await frame.getByText(verdict.sentence).waitFor();
    expect(verdict.sentence).toMatch(/95 % interval/);
  });

  it("fits a 390 px phone", async () => {
    const bar = (await storedBar())!;
    const { page, app } = await e2e.openAdmin(`/app/storefront/bars/${bar.id}/results`, {
      width: 390,
    });
    await app.getByRole("heading", { level: 1, name: `Results: ${BAR}` }).waitFor({
      timeout: 30_000,
    });
    const overflow = await appFrame(page).evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBe(0);
  });

  it("turning the holdout off in the editor is saved, and the results page then says so", async () => {
    const bar = (await storedBar())!;
    const frame = await e2e.openAppFrame(`/app/storefront/bars/${bar.id}/results`);
    await frame.getByRole("link", { name: "Edit bar" }).click({ timeout: 30_000 });
    await expect
      .poll(() => framePath(frame), { timeout: 30_000 })
      .toBe(`/app/storefront/bars/${bar.id}`);
    await frame.getByLabel("Holdout").fill("0");
    await frame.getByText("Unsaved changes").waitFor();
    await frame.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => framePath(frame), { timeout: 30_000 }).toBe("/app/storefront");
    expect(JSON.parse((await storedBar())!.config).holdout).toEqual({
      percent: 0,
      start: null,
      since: null,
    });
    const row = frame
      .getByRole("row")
      .filter({ has: frame.getByRole("link", { name: BAR, exact: true }) });
    expect(await row.getByRole("link", { name: "Results" }).count()).toBe(0);

    const after = await e2e.openAppFrame(`/app/storefront/bars/${bar.id}/results`);
    await after.getByText("This bar holds no one out").waitFor({ timeout: 30_000 });
    expect((await barResults(e2e.demo.shop, bar.id))?.kind).toBe("no-holdout");
  });
});

// Segment performance as a merchant uses it: the demo (the real pipeline on a stand-in store,
// performance added up by the app's CLI) behind the local admin; Chromium switches the period,
// sees Polaris Viz draw the charts, downloads the period table and compares segments.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { setUpDemoAdmin } from "../../support/demo-admin";

const e2e = setUpDemoAdmin({
  // A shop of its own: the e2e files share one database, and others edit the demo shop.
  shop: "persegment-demo-performance.myshopify.com",
  customers: 300,
  liveOrdersPerSecond: 0,
});

const monthName = (start: string) =>
  new Intl.DateTimeFormat("en-US", { year: "numeric", month: "long", timeZone: "UTC" }).format(
    new Date(`${start}T00:00:00Z`),
  );

describe("segment performance", () => {
  it("switches to months, draws the charts and downloads the months as CSV", async () => {
    const segment = await prisma.segment.findFirstOrThrow({
      where: { shop: e2e.demo.shop, handle: "repeat" },
    });
    const months = await prisma.segmentPeriodStat.findMany({
      where: { segmentId: segment.id, grain: "month" },
      orderBy: { start: "asc" },
    });
    expect(months).toHaveLength(12);
    expect(months.some((month) => month.orders > 0)).toBe(true);

    const { page, app, errors } = await e2e.openAdmin("/app/segments/repeat", {
      acceptDownloads: true,
    });
    // The Performance card's controls and headings are the only ones of their names on the page.
    await app.getByRole("heading", { name: "Performance", exact: true }).waitFor({
      timeout: 60_000,
    });
    // Weeks first: the latest ended week.
    await app.getByRole("heading", { name: /^Week of / }).waitFor();

    await app.getByRole("button", { name: "Monthly" }).click();
    const latest = months.at(-1)!;
    await app.getByRole("heading", { name: monthName(latest.start), exact: true }).waitFor();
    expect(await app.getByRole("button", { name: "Monthly" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    // Polaris Viz drew the four charts of months (in the browser only; placeholders before).
    for (const chart of [
      "Members at the end of each month",
      "Revenue of each month in USD",
      "Conversion and repeat rate of each month",
      "Customers who entered and left in each month",
    ])
      await app
        .getByRole("img", { name: chart, exact: true })
        .locator("svg")
        .first()
        .waitFor({ timeout: 30_000 });
    const revenueTile = app.getByRole("heading", { name: "Revenue", level: 4 }).locator("..");
    const dollars = (Number(latest.revenueCents) / 100).toLocaleString("en-US", {
      style: "currency",
      currency: "USD",
    });
    expect(await revenueTile.innerText()).toContain(dollars);

    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 60_000 }),
      app.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("persegment-repeat-by-month.csv");
    const csv = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(","));
    const [header, ...lines] = csv;
    const cell = (line: string[], column: string) => line[header.indexOf(column)];
    expect(
      lines.map((line) =>
        ["period_start", "members", "members_at_start", "buyers", "orders", "revenue"].map(
          (column) => cell(line, column),
        ),
      ),
    ).toEqual(
      months.map((month) => [
        month.start,
        String(month.members),
        String(month.cohort),
        String(month.buyers),
        String(month.orders),
        (Number(month.revenueCents) / 100).toFixed(2),
      ]),
    );
    expect(errors).toEqual([]);
  });

  it("compares the segments' latest period and switches it to days", async () => {
    const { app, errors } = await e2e.openAdmin("/app/performance");
    await app.getByRole("heading", { name: /^Week of / }).waitFor({ timeout: 60_000 });
    await app.getByRole("link", { name: "Repeat buyers" }).waitFor();
    await app.getByRole("button", { name: "Daily" }).click();
    const [yesterday] = await prisma.segmentPeriodStat.findMany({
      where: { shop: e2e.demo.shop, grain: "day" },
      orderBy: { start: "desc" },
      take: 1,
    });
    const dayName = new Intl.DateTimeFormat("en-US", {
      year: "numeric",
      month: "short",
      day: "numeric",
      timeZone: "UTC",
    }).format(new Date(`${yesterday.start}T00:00:00Z`));
    await app.getByRole("heading", { name: dayName, exact: true }).waitFor({ timeout: 30_000 });
    await app
      .getByRole("img", { name: "Revenue per segment", exact: true })
      .locator("svg")
      .first()
      .waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  });
});

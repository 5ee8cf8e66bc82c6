// The failure pages in Chromium, through the demo's admin host (the built app in its frame): an
// unknown page and a failing one show the Polaris page, hydrated without errors, and lead back.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { postgres } from "~/models/bulk-sql.server";
import { startDemo } from "../../../scripts/demo/main";
import { launchChromium } from "../../support/browser";

const SHOP = "persegment-demo-errors.myshopify.com";
let demo: Awaited<ReturnType<typeof startDemo>>;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo({
    shop: SHOP,
    customers: 50,
    port: 0,
    databaseUrl: process.env.DATABASE_URL,
    log: () => {},
  });
  browser = await launchChromium();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function openAdmin(path: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${demo.adminUrl}?path=${encodeURIComponent(path)}`);
  return { page, app: page.frameLocator("iframe"), errors };
}

describe("failure pages in the admin", () => {
  it("an unknown page: the 404 page inside the app, and the way back", async () => {
    const { page, app, errors } = await openAdmin("/app/no-such-page");
    await app.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    await app.getByRole("link", { name: "Back to the overview" }).click();
    await app.getByRole("heading", { level: 1, name: "Overview" }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  // SQLite stores a text record count as given; PostgreSQL refuses it.
  it.skipIf(postgres)(
    "a failing page: what happened, the reference, no server detail",
    async () => {
      await prisma.$executeRawUnsafe(
        `UPDATE "SyncRun" SET "recordsDone" = 'many' WHERE "shop" = $1`,
        SHOP,
      );
      try {
        const { page, app, errors } = await openAdmin("/app");
        await app.getByRole("heading", { level: 1, name: "Something went wrong" }).waitFor();
        const text = (await app.locator("body").textContent()) ?? "";
        expect(text).toMatch(/Reference: ref-[0-9a-f]{12}/);
        expect(text).not.toMatch(/Application Error|Expected an integer|recordsDone|\.server\.ts/);
        expect(errors).toEqual([]);
        await page.close();
      } finally {
        await prisma.$executeRawUnsafe(
          `UPDATE "SyncRun" SET "recordsDone" = 0 WHERE "shop" = $1`,
          SHOP,
        );
      }
    },
  );
});

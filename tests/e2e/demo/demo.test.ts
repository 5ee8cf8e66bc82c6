// Smoke test of `npm run demo`: the real pipeline against the stand-in, the built app behind the
// local admin, rendered in headless Chromium with numbers that must match the generated store.
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../support/browser";
import { startDemo } from "../../../scripts/demo/main";

const ARTIFACTS = "test-artifacts/demo";

let demo: Awaited<ReturnType<typeof startDemo>>;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  demo = await startDemo({
    customers: 300,
    port: 0,
    databaseUrl: process.env.DATABASE_URL,
    log: () => {},
  });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe("npm run demo", () => {
  it("serves the embedded Overview with the generated store's real numbers", async () => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
    });
    await page.goto(demo.adminUrl);
    const app = page.frameLocator("iframe");
    const expected = demo.storeCounts();
    const customers = app.getByText("Customers", { exact: true }).locator("xpath=..");
    await expect
      .poll(() => customers.textContent(), { timeout: 30_000 })
      .toContain(expected.customers.toLocaleString("en-US"));
    const orders = app.getByText("Orders", { exact: true }).locator("xpath=..");
    expect(await orders.textContent()).toContain(expected.orders.toLocaleString("en-US"));
    await page.screenshot({ path: `${ARTIFACTS}/overview.png` });
  });

  it("serves the Segments page with computed RFM segments", async () => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
    });
    await page.goto(`${demo.adminUrl}?path=${encodeURIComponent("/app/segments")}`);
    const app = page.frameLocator("iframe");
    await app.getByText("Champions").first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ARTIFACTS}/segments.png`, fullPage: true });
  });

  it("serves the storefront preview with the bars the pipeline published", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${demo.previewUrl}personas/guest-us`);
    await expect
      .poll(() => page.locator("body").textContent(), { timeout: 15_000 })
      .toMatch(/free shipping/i);
    await page.screenshot({ path: `${ARTIFACTS}/storefront-guest-us.png` });
  });
});

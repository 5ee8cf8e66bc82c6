// Smoke test of `npm run demo`: the real pipeline against the stand-in, the built app behind the
// local admin, rendered in headless Chromium with numbers that must match the generated store.
import { mkdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { setUpDemoAdmin } from "../../support/demo-admin";

const ARTIFACTS = "test-artifacts/demo";

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
});
const e2e = setUpDemoAdmin({ customers: 300 });

describe("npm run demo", () => {
  it("serves the embedded Overview with the generated store's real numbers", async () => {
    // The admin's own address, as `npm run demo` prints it: its frame opens the Overview.
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(e2e.demo.adminUrl);
    const app = page.frameLocator("iframe");
    const expected = e2e.demo.storeCounts();
    const customers = app.getByText("Customers", { exact: true }).locator("xpath=..");
    await expect
      .poll(() => customers.textContent(), { timeout: 30_000 })
      .toContain(expected.customers.toLocaleString("en-US"));
    const orders = app.getByText("Orders", { exact: true }).locator("xpath=..");
    expect(await orders.textContent()).toContain(expected.orders.toLocaleString("en-US"));
    await page.screenshot({ path: `${ARTIFACTS}/overview.png` });
  });

  it("serves the Segments page with computed RFM segments", async () => {
    const { page, app } = await e2e.openAdmin("/app/segments");
    await app.getByText("Champions").first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${ARTIFACTS}/segments.png`, fullPage: true });
  });

  it("serves the storefront preview with the bars the pipeline published", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${e2e.demo.previewUrl}personas/guest-us`);
    await expect
      .poll(() => page.locator("body").textContent(), { timeout: 15_000 })
      .toMatch(/free shipping/i);
    await page.screenshot({ path: `${ARTIFACTS}/storefront-guest-us.png` });
  });
});

// The admin's conventions, used as a merchant would in the demo (built app, stand-in Shopify,
// Chromium): the setup guide follows the live theme's embed, settings save through the
// contextual save bar and stay saved, "Remove all app tags" asks first and then removes them in
// Shopify, the Tags page and the segment list fit a phone, the segment list searches, and a
// template becomes a saved segment.
import type { FrameLocator } from "playwright-core";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { SEGMENT_TEMPLATES } from "~/domain/segments/templates";
import { getShopSettings } from "~/models/shop.server";
import { appFrame, setUpDemoAdmin } from "../../support/demo-admin";

const SHOP = "persegment-demo-polish.myshopify.com";
const e2e = setUpDemoAdmin({ shop: SHOP, customers: 200 });
const { openAdmin } = e2e;

async function heading(app: FrameLocator, title: string) {
  await app.getByRole("heading", { level: 1, name: title }).waitFor({ timeout: 30_000 });
}

/** The app's written tags (its ledger) still on the customers in Shopify. */
async function appTagsInShopify() {
  const written = await prisma.tagLedger.findMany({ where: { shop: SHOP, state: "applied" } });
  return written.filter((entry) => {
    const customer = e2e.demo.standIn.store.customers.get(
      Number(entry.customerId.split("/").pop()),
    );
    return customer?.tags.includes(entry.tag);
  });
}

describe("admin conventions in the demo", () => {
  it("the setup guide reads the live theme: the embed step is done once the theme editor turns it on", async () => {
    const step = (app: FrameLocator) => app.locator('[data-step="embed"]');
    let { page, app, errors } = await openAdmin("/app");
    await heading(app, "Overview");
    await expect.poll(() => step(app).getAttribute("data-done")).toBe("false");
    const link = step(app).getByRole("link", { name: "Open theme editor" });
    expect(await link.getAttribute("href")).toBe(
      `https://${SHOP}/admin/themes/current/editor?context=apps&activateAppId=${e2e.demo.standIn.apiKey}/top-bar`,
    );
    // Imported, tagged and a bar made by the demo: three of four.
    expect(await app.getByText("3 of 4 done").count()).toBe(1);
    await page.close();

    // The merchant turns the embed on in the theme editor and saves.
    e2e.demo.standIn.store.setAppEmbed(
      "shopify://apps/persegment/blocks/top-bar/5b1f0e3c-7a4d-4e52-9c1a-2f9d8e7b6a51",
      true,
    );
    ({ page, app, errors } = await openAdmin("/app"));
    await heading(app, "Overview");
    await expect.poll(() => step(app).getAttribute("data-done")).toBe("true");
    expect(await app.getByText("4 of 4 done").count()).toBe(1);
    // What runs by itself, with its next check.
    await app
      .locator('[data-automatic="tags.write"]')
      .getByText(/Next check:/)
      .waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("settings: the save bar appears on a change, saves, and the value is there after a reload", async () => {
    const before = await getShopSettings(SHOP);
    const days = before.lapsedDays === 120 ? 121 : 120;
    const { page, app, errors } = await openAdmin("/app/settings");
    await heading(app, "Settings");
    const field = app.getByLabel("Lapsed: no order for more than (days)");
    await field.fill("75");
    await app.getByText("Unsaved changes").waitFor();
    // Discard puts the stored value back and the bar goes.
    await app.getByRole("button", { name: "Discard" }).click();
    await expect.poll(() => field.inputValue()).toBe(String(before.lapsedDays));
    await app.getByText("Unsaved changes").waitFor({ state: "detached" });

    await field.fill(String(days));
    await app.getByText("Unsaved changes").waitFor();
    await app.getByRole("button", { name: "Save", exact: true }).click();
    await app.getByText("Settings saved.", { exact: false }).waitFor({ timeout: 15_000 });
    await app.getByText("Unsaved changes").waitFor({ state: "detached" });
    expect((await getShopSettings(SHOP)).lapsedDays).toBe(days);
    await page.reload();
    await heading(app, "Settings");
    await expect.poll(() => field.inputValue()).toBe(String(days));

    // A refused value: the field says why, nothing is stored.
    const vip = app.getByLabel("VIP: spend at or above percentile");
    await vip.fill("100");
    await app.getByRole("button", { name: "Save", exact: true }).click();
    await app.getByText("Enter a value between 50 and 99.9").waitFor({ timeout: 15_000 });
    expect((await getShopSettings(SHOP)).vipPercentile).toBe(before.vipPercentile);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("tags: writes are automatic with their times; Remove all app tags asks first, Cancel keeps them", async () => {
    const written = await prisma.tagLedger.findMany({ where: { shop: SHOP, state: "applied" } });
    expect(written.length).toBeGreaterThan(0);
    // Tags the merchant added (some customers carry seg-… tags of their own) must stay.
    const merchantOwned = [...e2e.demo.standIn.store.customers.values()].flatMap((customer) =>
      customer.tags
        .filter(
          (tag) =>
            !written.some(
              (entry) => entry.tag === tag && entry.customerId.endsWith(`/${customer.id}`),
            ),
        )
        .map((tag) => `${customer.id} ${tag}`),
    );
    const { page, app, errors } = await openAdmin("/app/tags");
    await heading(app, "Tags and Shopify Email");
    await app.getByText("Tags are written to Shopify automatically, every 5 minutes").waitFor();
    await expect.poll(() => app.getByTestId("tag-schedule").textContent()).toMatch(/Next check: /);

    await app.getByRole("button", { name: "Remove all app tags" }).click();
    const dialog = app.getByRole("dialog");
    await dialog.getByText("Tags you added yourself are not touched.", { exact: false }).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await appTagsInShopify()).length).toBe(written.length);
    expect(await prisma.segment.count({ where: { shop: SHOP, tagEnabled: true } })).toBeGreaterThan(
      0,
    );

    await app.getByRole("button", { name: "Remove all app tags" }).click();
    await app.getByRole("dialog").getByRole("button", { name: "Remove all app tags" }).click();
    await app.getByText(/^Tagging is off for every segment; removed \d+ app tags/).waitFor({
      timeout: 60_000,
    });
    const stillWritten = written.filter((entry) =>
      e2e.demo.standIn.store.customers
        .get(Number(entry.customerId.split("/").pop()))
        ?.tags.includes(entry.tag),
    );
    expect(stillWritten).toEqual([]);
    const merchantNow = [...e2e.demo.standIn.store.customers.values()].flatMap((customer) =>
      customer.tags.map((tag) => `${customer.id} ${tag}`),
    );
    expect(merchantNow).toEqual(expect.arrayContaining(merchantOwned));
    expect(await prisma.segment.count({ where: { shop: SHOP, tagEnabled: true } })).toBe(0);
    await page.reload();
    await heading(app, "Tags and Shopify Email");
    await app.getByText("Turn on tagging for a segment", { exact: false }).first().waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ["/app/tags", "Tags and Shopify Email"],
    ["/app/segments", "Segments"],
  ])("%s: nothing scrolls sideways on a 390 px phone", async (path, title) => {
    const { page, app } = await openAdmin(path, { width: 390 });
    await heading(app, title);
    // Not polled: the narrow layout is chosen by CSS, so the first paint already fits.
    const overflow = await appFrame(page).evaluate(() => {
      const wide = [...document.querySelectorAll("body *")].filter(
        (element) => element.getBoundingClientRect().right > window.innerWidth + 1,
      );
      return {
        page: document.documentElement.scrollWidth - window.innerWidth,
        elements: wide.map((element) => element.tagName),
      };
    });
    expect(overflow).toEqual({ page: 0, elements: [] });
    await page.close();
  });

  it("segments: search narrows the list", async () => {
    const { page, app, errors } = await openAdmin("/app/segments");
    await heading(app, "Segments");
    const rows = app.locator("tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    await app.getByPlaceholder("Search segments").fill("champ");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Champions");
    await app.getByPlaceholder("Search segments").fill("no segment is called this");
    // Both layouts are in the page (a media query shows one): the one on screen says so.
    await app.getByText("No segments match").filter({ visible: true }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("segments: a template becomes a saved segment with the template's rule", async () => {
    const template = SEGMENT_TEMPLATES.find((entry) => entry.id === "loyal-regulars")!;
    const { page, app, errors } = await openAdmin("/app/segments/new");
    await heading(app, "Create segment");
    await app.getByRole("button", { name: `Use template ${template.name}` }).click();
    await app.getByText(`From the template “${template.name}”`).waitFor();
    await expect.poll(() => app.getByLabel("Name").inputValue()).toBe(template.name);
    await app.getByRole("button", { name: "Save segment" }).click();
    await expect
      .poll(() => new URL(appFrame(page).url()).pathname, { timeout: 30_000 })
      .toBe("/app/segments/loyal-regulars");
    const saved = await prisma.segment.findUniqueOrThrow({
      where: { shop_handle: { shop: SHOP, handle: "loyal-regulars" } },
    });
    expect(saved).toMatchObject({ name: template.name, kind: "custom" });
    expect(JSON.parse(saved.rule ?? "null")).toEqual(template.rule);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("segments: Send to Flow turns Flow on, and a new buyer's entry starts the Flow trigger", async () => {
    let { page, app, errors } = await openAdmin("/app/segments/new-buyers");
    await heading(app, "New buyers");
    await app.getByRole("button", { name: "Send to Flow" }).click();
    await app.getByText("New buyers: moves from now on start your Flow workflows").waitFor();
    const segment = await prisma.segment.findUniqueOrThrow({
      where: { shop_handle: { shop: SHOP, handle: "new-buyers" } },
    });
    expect(segment.flowEnabledAt).not.toBeNull();
    await page.screenshot({
      path: "test-artifacts/polish-actions/segment-flow-1280.png",
      fullPage: true,
    });
    await page.close();
    ({ page, app, errors } = await openAdmin("/app/segments/new-buyers"));
    await heading(app, "New buyers");
    await app.getByRole("button", { name: "Stop sending to Flow" }).waitFor();
    await app.getByText("segment handle", { exact: false }).first().waitFor();

    // A shopper who never bought places an order in Shopify: the webhook, the recompute and the
    // app's minute-by-minute flow.send job bring the entry to Flow.
    const { store } = e2e.demo.standIn;
    const buyers = new Set([...store.orders.values()].map((order) => order.customerId));
    const newcomer = [...store.customers.values()].find((customer) => !buyers.has(customer.id))!;
    const variant = [...store.variants.values()][0];
    store.createOrder({ customerId: newcomer.id, lines: [{ variantId: variant.id, quantity: 1 }] });
    await expect
      .poll(() => store.flowTriggers.map((call) => call.payload.customer_id), { timeout: 150_000 })
      .toContain(newcomer.id);
    expect(store.flowTriggers).toEqual([
      expect.objectContaining({
        handle: "persegment-segment-entered",
        payload: {
          customer_id: newcomer.id,
          "Segment name": "New buyers",
          "Segment handle": "new-buyers",
        },
      }),
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it("predictions: Refit now refits in the background and the page shows the new fit", async () => {
    const latestFit = () =>
      prisma.predictionFit.findFirst({ where: { shop: SHOP }, orderBy: { fittedAt: "desc" } });
    const before = (await latestFit())!;
    const { page, app, errors } = await openAdmin("/app/predictions");
    await heading(app, "Predictions");
    await app.getByRole("button", { name: "Refit now" }).click();
    await app.getByText("Refitting in the background").waitFor();
    // The button says "Refitting…" until the page's data holds a newer fit than when pressed.
    await app.getByRole("button", { name: "Refit now" }).waitFor({ timeout: 120_000 });
    expect((await latestFit())!.fittedAt.getTime()).toBeGreaterThan(before.fittedAt.getTime());
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});

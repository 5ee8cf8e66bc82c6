// The bar editor and the upsell picker as a merchant uses them, in the demo (the real pipeline on
// the Shopify stand-in, the built app in the local admin's iframe): change a bar's colour, message
// and schedule, save, reload and find it stored; delete it behind the confirmation; pin a product
// found by searching for it.
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { storefrontFromStandIn } from "@persegment/storefront-preview";
import { setUpDemoAdmin } from "../../support/demo-admin";

const e2e = setUpDemoAdmin({
  // A shop of its own: the e2e files share one database, and others edit the demo shop's bars.
  shop: "persegment-demo-bar-editor.myshopify.com",
  customers: 300,
  async prepare(demo) {
    // A shop in New York that publishes English and German (French is set up but not published).
    demo.standIn.store.shop.ianaTimezone = "America/New_York";
    // The app keeps the time zone the full sync read (UTC, the stand-in's default then).
    await prisma.shop.update({
      where: { domain: demo.shop },
      data: { ianaTimezone: "America/New_York" },
    });
    demo.standIn.store.shop.locales = [
      { locale: "en", name: "English", primary: true, published: true },
      { locale: "de", name: "German", primary: false, published: true },
      { locale: "fr", name: "French", primary: false, published: false },
    ];
  },
});
const { openAppFrame } = e2e;

const framePath = (frame: Frame) => new URL(frame.url()).pathname;

const storedBar = (name: string) => prisma.bar.findFirst({ where: { shop: e2e.demo.shop, name } });

const publishedBarIds = () =>
  storefrontFromStandIn(e2e.demo.standIn.store, e2e.demo.standIn.apiKey).bars?.bars.map(
    (bar) => bar.id,
  ) ?? [];

describe("bar editor", () => {
  it("changes a bar's colour, message and schedule; saved, it is there after a reload", async () => {
    const bar = await storedBar("We miss you");
    const frame = await openAppFrame(`/app/storefront/bars/${bar!.id}`);
    const background = frame.getByLabel("Background colour", { exact: true });
    await background.waitFor({ timeout: 30_000 });
    // Only the shop's published languages, the primary one open and the other folded away.
    await frame.getByLabel("Message (English)").waitFor();
    expect(await frame.getByLabel("Message (French)").count()).toBe(0);
    await frame.getByRole("button", { name: "Other languages (1)" }).click();
    await frame.getByLabel("Message (German)").waitFor();

    // The picker changes the colour; the hex field follows.
    const before = await background.inputValue();
    await frame.getByRole("button", { name: "Pick background colour" }).click();
    const picker = frame.locator(".Polaris-ColorPicker__MainColor");
    await picker.click({ position: { x: 20, y: 20 } });
    await expect.poll(() => background.inputValue()).not.toBe(before);
    await frame.page().keyboard.press("Escape");

    // A colour too close to the text: the contrast check warns before saving.
    await frame.getByLabel("Text colour", { exact: true }).fill("#cccccc");
    await background.fill("#ffffff");
    await frame.getByText(/Below 4\.5:1/).waitFor();
    expect(await frame.getByText("Contrast 1.60:1").count()).toBe(1);
    await background.fill("#0b5394");
    await frame.getByLabel("Text colour", { exact: true }).fill("#ffffff");
    await frame.getByText("Readable: meets WCAG AA for text.").waitFor();

    const message = "We miss you! 20% off this week";
    await frame.getByLabel("Message (English)").fill(message);
    // The preview draws the bar as shoppers will see it, with the new message and colours.
    const preview = frame.getByTestId("bar-preview").locator("persegment-bar");
    await expect.poll(() => preview.textContent()).toContain(message);
    expect(await preview.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      "rgb(11, 83, 148)",
    );

    // The schedule in the shop's time zone (New York, UTC-5 in January).
    await frame.getByLabel("Starts (America/New_York)").fill("2030-01-15T09:00");
    await frame.getByLabel("Ends (America/New_York)").fill("2030-01-20T18:30");

    // With unsaved changes the contextual save bar saves; the list then says so in a toast.
    await frame.getByText("Unsaved changes").waitFor();
    await frame.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => framePath(frame), { timeout: 30_000 }).toBe("/app/storefront");
    await frame.getByText("Bar saved").waitFor();
    const row = frame
      .getByRole("row")
      .filter({ has: frame.getByRole("link", { name: "We miss you", exact: true }) });
    await row.getByText("Scheduled", { exact: true }).waitFor();

    const stored = await storedBar("We miss you");
    const config = JSON.parse(stored!.config);
    expect(config).toMatchObject({
      messages: { en: message },
      colors: { background: "#0b5394", text: "#ffffff" },
      schedule: { startsAt: "2030-01-15T14:00:00.000Z", endsAt: "2030-01-20T23:30:00.000Z" },
    });

    // Opened again, the editor shows what was saved.
    const app = await openAppFrame(`/app/storefront/bars/${bar!.id}`);
    await app.getByLabel("Background colour", { exact: true }).waitFor({ timeout: 30_000 });
    expect(await app.getByLabel("Background colour", { exact: true }).inputValue()).toBe("#0b5394");
    expect(await app.getByLabel("Message (English)").inputValue()).toBe(message);
    expect(await app.getByLabel("Starts (America/New_York)").inputValue()).toBe("2030-01-15T09:00");
    expect(await app.getByLabel("Ends (America/New_York)").inputValue()).toBe("2030-01-20T18:30");
    await app.getByText("Scheduled").first().waitFor();
  });

  it("deletes a bar only once the merchant confirms", async () => {
    const bar = await storedBar("Champions thank-you");
    expect(publishedBarIds()).toContain(bar!.id);
    const frame = await openAppFrame(`/app/storefront/bars/${bar!.id}`);
    await frame.getByRole("button", { name: "Delete bar" }).click();
    const dialog = frame.getByRole("dialog");
    await dialog.getByText('Delete "Champions thank-you"?').waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await storedBar("Champions thank-you")).not.toBeNull();

    await frame.getByRole("button", { name: "Delete bar" }).click();
    await frame.getByRole("dialog").getByRole("button", { name: "Delete bar" }).click();
    await expect.poll(() => framePath(frame), { timeout: 30_000 }).toBe("/app/storefront");
    await frame.getByText("Bar deleted").waitFor();
    expect(await storedBar("Champions thank-you")).toBeNull();
    expect(publishedBarIds()).not.toContain(bar!.id);
    expect(await frame.getByRole("link", { name: "Champions thank-you" }).count()).toBe(0);
  });
});

describe("upsell pins", () => {
  it("pins a product found by typing part of its title, and keeps it after a reload", async () => {
    const products = [...e2e.demo.standIn.store.products.values()];
    const product = products.find((candidate) => candidate.status === "ACTIVE")!;
    const pin = products.find(
      (candidate) =>
        candidate.status === "ACTIVE" &&
        candidate.id !== product.id &&
        products.filter((other) => other.title === candidate.title).length === 1,
    )!;
    const frame = await openAppFrame(`/app/storefront/upsells/${product.id}`);
    const search = frame.getByLabel("Pin a product");
    await search.waitFor({ timeout: 30_000 });
    // Part of the title, in lower case.
    await search.fill(pin.title.split(" ").slice(-2).join(" ").toLowerCase());
    await frame.getByRole("option", { name: pin.title, exact: true }).click();
    await frame.getByRole("button", { name: "Unpin" }).waitFor();
    await frame.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => framePath(frame), { timeout: 30_000 }).toBe("/app/storefront");

    const override = await prisma.upsellOverride.findFirstOrThrow({
      where: { shop: e2e.demo.shop, productId: `gid://shopify/Product/${product.id}` },
    });
    expect(override.pinned).toBe(`gid://shopify/Product/${pin.id}`);
    const reloaded = await openAppFrame(`/app/storefront/upsells/${product.id}`);
    await reloaded.getByRole("button", { name: "Unpin" }).waitFor({ timeout: 30_000 });
    const pinnedCard = reloaded
      .locator(".Polaris-ShadowBevel")
      .filter({ hasText: "Pinned (shown first" });
    expect(await pinnedCard.textContent()).toContain(pin.title);
  });
});

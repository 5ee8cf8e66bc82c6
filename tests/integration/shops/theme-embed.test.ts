// The Overview's theme embed status, read from the stand-in's live theme the way Shopify keeps it
// (config/settings_data.json, with its generated comment): off until the merchant turns the top
// bar on in the theme editor, off again when switched off, and "unknown" (asking for the
// permission) when the app may not read themes. The shop profile gives the shop's time zone and
// currency.
import { afterAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { appEmbedState } from "~/domain/setup/theme-embed";
import { addShopWithToken } from "~/shops/access.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { themeEmbedStatus } from "~/shops/theme-embed.server";
import { TOP_BAR_EMBED } from "~/storefront/extension";
import { Store, startStandIn } from "@persegment/shopify-stand-in";
import { requestedScopes, testShop } from "../../support/shopify-requests";

const EMBED_TYPE = `shopify://apps/persegment/blocks/${TOP_BAR_EMBED}/0c9d7b3e-4d0f-4f7a-9f55-1f2a3b4c5d6e`;
const stands: Awaited<ReturnType<typeof startStandIn>>[] = [];
const previousOrigin = process.env.SHOPIFY_ADMIN_API_ORIGIN;

async function installedWith(scopes: string[], store?: Store) {
  const shop = testShop("theme");
  const standIn = await startStandIn({
    shop,
    accessToken: "theme-token",
    apiSecret: "testApiSecretKey",
    apiKey: "testApiKey",
    scopes,
    ...(store ? { store } : {}),
  });
  stands.push(standIn);
  process.env.SHOPIFY_ADMIN_API_ORIGIN = standIn.origin;
  await addShopWithToken(shop, "theme-token");
  return { shop, standIn };
}

afterAll(async () => {
  for (const standIn of stands) await standIn.close();
  if (previousOrigin === undefined) delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  else process.env.SHOPIFY_ADMIN_API_ORIGIN = previousOrigin;
});

describe("theme embed status", () => {
  it("follows the live theme: missing, on after the theme editor turns it on, off when switched off", async () => {
    const { shop, standIn } = await installedWith(requestedScopes());
    expect(await themeEmbedStatus(shop, TOP_BAR_EMBED)).toEqual({
      state: "missing",
      themeName: "Dawn",
    });

    standIn.store.setAppEmbed(EMBED_TYPE, true);
    expect(await themeEmbedStatus(shop, TOP_BAR_EMBED)).toEqual({ state: "on", themeName: "Dawn" });
    // Another block of the app (or another app's top-bar) does not count.
    expect((await themeEmbedStatus(shop, "upsell")).state).toBe("missing");

    standIn.store.setAppEmbed(EMBED_TYPE, false);
    expect(await themeEmbedStatus(shop, TOP_BAR_EMBED)).toEqual({
      state: "off",
      themeName: "Dawn",
    });
  });

  it("reads only the live theme, not an unpublished one with the embed on", async () => {
    const { shop, standIn } = await installedWith(requestedScopes());
    const id = standIn.store.mainTheme().id + 1;
    const draft = `{"current": {"blocks": {"1": {"type": "${EMBED_TYPE}", "disabled": false}}}}`;
    standIn.store.themes.set(id, {
      id,
      name: "Horizon draft",
      role: "UNPUBLISHED",
      files: new Map([["config/settings_data.json", { content: draft, updatedAt: 0 }]]),
    });
    expect(await themeEmbedStatus(shop, TOP_BAR_EMBED)).toEqual({
      state: "missing",
      themeName: "Dawn",
    });
  });

  it("says it cannot tell, asking for the permission, without read_themes (Shopify: ACCESS_DENIED)", async () => {
    const scopes = requestedScopes().filter((scope) => scope !== "read_themes");
    const { shop } = await installedWith(scopes);
    const status = await themeEmbedStatus(shop, TOP_BAR_EMBED);
    expect(status).toMatchObject({ state: "unknown", needsPermission: true });
  });

  it("says it cannot tell when settings_data.json is not JSON", async () => {
    const { shop, standIn } = await installedWith(requestedScopes());
    const main = standIn.store.mainTheme();
    standIn.store.putThemeFile(main.id, "config/settings_data.json", "{ not json");
    expect(await themeEmbedStatus(shop, TOP_BAR_EMBED)).toMatchObject({
      state: "unknown",
      needsPermission: false,
    });
  });

  it("the app asks for read_themes", () => {
    expect(requestedScopes()).toContain("read_themes");
  });
});

describe("settings_data.json as Shopify writes it", () => {
  it("skips the generated comment and reads a preset name as no embeds", () => {
    const text = `/*\n * IMPORTANT: auto-generated\n */\n{"current": {"blocks": {"1": {"type": "${EMBED_TYPE}", "disabled": false}}}}`;
    expect(appEmbedState(text, "persegment", TOP_BAR_EMBED)).toEqual({ ok: true, state: "on" });
    expect(appEmbedState(`{"current": "Default"}`, "persegment", TOP_BAR_EMBED)).toEqual({
      ok: true,
      state: "missing",
    });
    const otherApp = EMBED_TYPE.replace("/persegment/", "/other-app/");
    expect(
      appEmbedState(
        `{"current": {"blocks": {"1": {"type": "${otherApp}"}}}}`,
        "persegment",
        TOP_BAR_EMBED,
      ),
    ).toEqual({ ok: true, state: "missing" });
  });
});

describe("shop profile", () => {
  it("reads the shop's time zone and currency from Shopify once, then from the database", async () => {
    const store = new Store({
      name: "Boutique Lyon",
      domain: "x.myshopify.com",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Paris",
      plusPlan: false,
    });
    const { shop } = await installedWith(requestedScopes(), store);
    const profile = { timeZone: "Europe/Paris", currency: "EUR", fromShopify: true };
    expect(await shopProfile(shop)).toEqual(profile);
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({
      ianaTimezone: "Europe/Paris",
      currencyCode: "EUR",
    });
    store.shop.ianaTimezone = "Asia/Tokyo";
    expect(await shopProfile(shop)).toEqual(profile);
  });

  it("falls back to UTC, marked as not from Shopify, when the shop cannot be asked", async () => {
    const profile = await shopProfile(testShop("no-session"));
    expect(profile).toMatchObject({ timeZone: "UTC", fromShopify: false });
  });
});

// The app's web pixel as Shopify keeps it: webPixelCreate / webPixelUpdate refused without
// write_pixels and read_customer_events, documents checked against the real schema, settings
// checked against the extension's declared fields, one pixel per app, recorded with its settings,
// and gone with the app.
import { afterEach, describe, expect, it } from "vitest";
import { type StandIn, generateStore, startStandIn } from "../src";
import { NOW, adminGraphql } from "./helpers";

const PIXEL_SCOPES = ["read_customers", "write_pixels", "read_customer_events"];
const CREATE = `mutation Create($settings: JSON!) {
  webPixelCreate(webPixel: { settings: $settings }) {
    webPixel { id settings }
    userErrors { field message code }
  }
}`;
const UPDATE = `mutation Update($id: ID!, $settings: JSON!) {
  webPixelUpdate(id: $id, webPixel: { settings: $settings }) {
    webPixel { id settings }
    userErrors { field message code }
  }
}`;
const READ = `query { webPixel { id settings } }`;
const settings = (collectorUrl: string) => JSON.stringify({ collectorUrl });

let standIn: StandIn | undefined;
afterEach(() => standIn?.close());

async function start(scopes: string[]) {
  standIn = await startStandIn({
    shop: "pixel-test.myshopify.com",
    accessToken: "stand-in-token",
    apiSecret: "testApiSecretKey",
    store: generateStore({ customers: 5, seed: 3, now: NOW }),
    scopes,
  });
  return standIn;
}

describe("the app's web pixel", () => {
  it("is refused without write_pixels, and without read_customer_events, as Shopify words it", async () => {
    const withoutPixels = await start(["read_customers", "read_customer_events"]);
    const denied = await adminGraphql(withoutPixels, CREATE, { settings: settings("https://a") });
    expect(denied.body.errors[0]).toMatchObject({
      message:
        "Access denied for webPixelCreate field. Required access: `write_pixels` access scope. Also: The app requires read_customer_events access scope and user access permission.",
      extensions: { code: "ACCESS_DENIED" },
    });
    expect((await adminGraphql(withoutPixels, READ)).body.errors[0].extensions.code).toBe(
      "ACCESS_DENIED",
    );
    expect(withoutPixels.store.webPixel).toBeNull();
    await withoutPixels.close();

    const withoutEvents = await start(["read_customers", "write_pixels"]);
    const alsoDenied = await adminGraphql(withoutEvents, CREATE, {
      settings: settings("https://a"),
    });
    expect(alsoDenied.body.errors[0].extensions.code).toBe("ACCESS_DENIED");
    expect(alsoDenied.body.errors[0].message).toMatch(/read_customer_events/);
    expect(withoutEvents.store.webPixel).toBeNull();
  });

  it("checks documents against the real schema", async () => {
    const shop = await start(PIXEL_SCOPES);
    const result = await adminGraphql(
      shop,
      `mutation { webPixelCreate(settings: "{}") { userErrors { message } } }`,
    );
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors.map((e: { message: string }) => e.message).join(" ")).toMatch(
      /settings/,
    );
    expect(shop.store.webPixel).toBeNull();
  });

  it("creates one pixel with settings that match the declared fields, then updates it", async () => {
    const shop = await start(PIXEL_SCOPES);
    expect((await adminGraphql(shop, READ)).body.errors[0].extensions.code).toBe("NOT_FOUND");

    for (const [bad, code] of [
      ["{not json", "INVALID_CONFIGURATION_JSON"],
      [JSON.stringify({ collectorUrl: "" }), "INVALID_SETTINGS"],
      [JSON.stringify({ collectorUrl: "https://a", shop: "x" }), "INVALID_SETTINGS"],
      [JSON.stringify({}), "INVALID_SETTINGS"],
      [JSON.stringify({ collectorUrl: 7 }), "INVALID_SETTINGS"],
    ]) {
      const refused = await adminGraphql(shop, CREATE, { settings: bad });
      expect(refused.body.data.webPixelCreate).toMatchObject({
        webPixel: null,
        userErrors: [{ code }],
      });
    }
    expect(shop.store.webPixel).toBeNull();

    const created = await adminGraphql(shop, CREATE, { settings: settings("https://app/a") });
    const pixel = created.body.data.webPixelCreate.webPixel;
    expect(pixel).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/WebPixel\/\d+$/),
      settings: settings("https://app/a"),
    });
    expect(shop.store.webPixel?.settings).toEqual({ collectorUrl: "https://app/a" });
    expect((await adminGraphql(shop, READ)).body.data.webPixel).toEqual(pixel);

    const again = await adminGraphql(shop, CREATE, { settings: settings("https://app/b") });
    expect(again.body.data.webPixelCreate.userErrors).toEqual([
      expect.objectContaining({ code: "TAKEN" }),
    ]);
    const unknown = await adminGraphql(shop, UPDATE, {
      id: "gid://shopify/WebPixel/1",
      settings: settings("https://app/b"),
    });
    expect(unknown.body.data.webPixelUpdate.userErrors[0].code).toBe("NOT_FOUND");
    expect(shop.store.webPixel?.settings).toEqual({ collectorUrl: "https://app/a" });

    const updated = await adminGraphql(shop, UPDATE, {
      id: pixel.id,
      settings: { collectorUrl: "https://app/b" },
    });
    expect(updated.body.data.webPixelUpdate).toEqual({
      webPixel: { id: pixel.id, settings: settings("https://app/b") },
      userErrors: [],
    });
    expect(shop.store.webPixel?.settings).toEqual({ collectorUrl: "https://app/b" });

    shop.uninstall();
    expect(shop.store.webPixel).toBeNull();
  });
});

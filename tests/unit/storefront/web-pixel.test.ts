// The web pixel's settings: what the app gives it, when it changes them, and the one shape shared
// by the extension's toml (what Shopify checks webPixelCreate against), the app and the stand-in.
// The custom events the bar's script publishes are the ones the pixel subscribes to.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BAR_EVENT_KINDS } from "~/domain/measurement/bar-events";
import { webPixelSettings, webPixelStep } from "~/domain/storefront/web-pixel";
import { APP_WEB_PIXEL_SETTINGS } from "@persegment/shopify-stand-in";

const toml = readFileSync("extensions/persegment-pixel/shopify.extension.toml", "utf8");

describe("the web pixel's settings", () => {
  it("point the pixel at the app's collector", () => {
    expect(webPixelSettings("https://persegment.example")).toEqual({
      collectorUrl: "https://persegment.example/pixel/events",
    });
  });

  it("are created once, updated when they differ, and otherwise left alone", () => {
    const desired = { collectorUrl: "https://a.example/pixel/events" };
    expect(webPixelStep(null, desired)).toEqual({ kind: "create" });
    const id = "gid://shopify/WebPixel/1";
    expect(webPixelStep({ id, settings: JSON.stringify(desired) }, desired)).toEqual({
      kind: "none",
      id,
    });
    expect(webPixelStep({ id, settings: desired }, desired)).toEqual({ kind: "none", id });
    for (const settings of [
      JSON.stringify({ collectorUrl: "https://old.example/pixel/events" }),
      JSON.stringify({ ...desired, extra: "x" }),
      "{broken",
      null,
    ])
      expect(webPixelStep({ id, settings }, desired)).toEqual({ kind: "update", id });
  });

  it("are the fields the extension declares and the stand-in checks", () => {
    expect(toml).toMatch(/^type = "web_pixel_extension"$/m);
    expect(toml).toMatch(/^runtime_context = "strict"$/m);
    const declared = [...toml.matchAll(/^\[settings\.fields\.(\w+)\]$/gm)].map((m) => m[1]);
    expect(declared).toEqual(Object.keys(webPixelSettings("https://a.example")));
    expect(Object.keys(APP_WEB_PIXEL_SETTINGS)).toEqual(declared);
    for (const block of toml.split(/^\[settings\.fields\.\w+\]$/m).slice(1))
      expect(block).toMatch(/^type = "single_line_text_field"$/m);
  });
});

describe("the custom events", () => {
  it("the bar publishes are the ones the pixel counts, one per kind the collector takes", () => {
    const bar = readFileSync("extensions/persegment-storefront/assets/top-bar.js", "utf8");
    const pixel = readFileSync("extensions/persegment-pixel/src/index.ts", "utf8");
    const published = new Set([...bar.matchAll(/"(persegment:bar_\w+)"/g)].map((m) => m[1]));
    const counted = [...pixel.matchAll(/"(persegment:bar_\w+)": "(\w+)"/g)];
    expect(new Set(counted.map((m) => m[1]))).toEqual(published);
    expect(counted.map((m) => m[2]).sort()).toEqual([...BAR_EVENT_KINDS].sort());
  });
});

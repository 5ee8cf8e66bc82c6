// The app's web pixel on preview pages: its manager first in content_for_header and its sandbox
// worker served by the storefront only once the app connected it; the worker is the sandbox's
// runtime followed by the extension's own source, bundled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personaById, renderPersonaPage, sampleStorefront, startPreviewServer } from "../src";

const NOW = new Date("2026-11-23T10:00:00Z");
const settings = { collectorUrl: "https://persegment.example/pixel/events" };
const connected = {
  ...sampleStorefront(),
  shopDomain: "pixel.myshopify.com",
  webPixel: { settings },
};

describe("the app's web pixel in the preview", () => {
  let preview: Awaited<ReturnType<typeof startPreviewServer>>;
  let unconnected: Awaited<ReturnType<typeof startPreviewServer>>;
  beforeAll(async () => {
    preview = await startPreviewServer({ published: connected, now: () => NOW });
    unconnected = await startPreviewServer({ published: sampleStorefront(), now: () => NOW });
  });
  afterAll(async () => {
    await preview?.close();
    await unconnected?.close();
  });

  it("starts the manager before the extension's assets, with the settings the app gave", async () => {
    const html = await renderPersonaPage(personaById("lapsed"), connected, { now: NOW });
    const manager = html.indexOf("new Worker(config.src");
    expect(manager).toBeGreaterThan(0);
    expect(manager).toBeLessThan(html.indexOf("/assets/top-bar.js"));
    expect(html).toContain(JSON.stringify(settings));
    expect(html).toContain('"shop":"pixel.myshopify.com"');
    const plain = await renderPersonaPage(personaById("lapsed"), sampleStorefront(), { now: NOW });
    expect(plain).not.toContain("new Worker");
  });

  it("serves the worker: the sandbox runtime, then the pixel's source bundled", async () => {
    const response = await fetch(`${preview.origin}/web-pixels/persegment-pixel.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/javascript/);
    const script = await response.text();
    expect(script.indexOf('"WebPixel::Render"')).toBeLessThan(
      script.indexOf("persegment:bar_click"),
    );
    expect(script).not.toMatch(/^\s*import /m);
    expect((await fetch(`${unconnected.origin}/web-pixels/persegment-pixel.js`)).status).toBe(404);
  });
});

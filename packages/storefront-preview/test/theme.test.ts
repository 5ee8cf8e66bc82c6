// The Dawn-like page puts each part of the extension where Shopify would: head embeds at the end
// of <head>, header-group app blocks in their section before the theme's announcement bar and
// header; its AJAX cart answers section rendering like Shopify's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personaById, renderPersonaPage, sampleStorefront, startPreviewServer } from "../src";

const NOW = new Date("2026-11-23T10:00:00Z");
const published = sampleStorefront();

describe("theme layout", () => {
  it("renders the top bar embed at the end of <head>, as a template the embed's script inserts", async () => {
    const html = await renderPersonaPage(personaById("lapsed"), published, { now: NOW });
    const headEnd = html.indexOf("</head>");
    const template = html.indexOf('<template id="PersegmentBarTemplate-');
    expect(template).toBeGreaterThan(html.indexOf("<style>"));
    expect(template).toBeLessThan(headEnd);
    expect(html.indexOf("<persegment-bar")).toBeLessThan(headEnd);
    expect(html.slice(headEnd)).not.toContain("<persegment-bar");
    expect(html.match(/top-bar\.css/g)).toHaveLength(1);
  });

  it("renders the header block in its app section, first in the header group, and no embed", async () => {
    const html = await renderPersonaPage(personaById("lapsed"), published, {
      now: NOW,
      barPlacement: "block",
    });
    const bar = html.indexOf('<persegment-bar\n    id="PersegmentBar-AbCdHeaderBar1"');
    expect(bar).toBeGreaterThan(html.indexOf("<body"));
    expect(bar).toBeGreaterThan(
      html.indexOf('class="shopify-section shopify-section-group-header'),
    );
    expect(bar).toBeLessThan(html.indexOf('id="shopify-section-sections--1742__announcement-bar"'));
    expect(bar).toBeLessThan(html.indexOf('id="shopify-section-sections--1742__header"'));
    expect(html).not.toContain("PersegmentBarTemplate");
    expect(html).toContain('class="persegment-bar persegment-bar--block"');
  });

  it("renders both when both are on", async () => {
    const html = await renderPersonaPage(personaById("lapsed"), published, {
      now: NOW,
      barPlacement: "both",
    });
    expect(html.match(/<persegment-bar\n/g)).toHaveLength(2);
  });
});

describe("preview server", () => {
  let preview: Awaited<ReturnType<typeof startPreviewServer>>;
  beforeAll(async () => {
    preview = await startPreviewServer({ published, now: () => NOW });
  });
  afterAll(() => preview.close());

  it("refuses an unknown bar placement", async () => {
    const response = await fetch(`${preview.origin}/personas/lapsed?bar=floating`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/embed, block, both/);
  });

  it("answers an add to cart with the sections the theme asks for, and refuses unknown ones", async () => {
    const page = await fetch(`${preview.origin}/personas/guest-us?reset=1`);
    const cookie = page.headers
      .getSetCookie()
      .map((entry) => entry.split(";")[0])
      .join("; ");
    const add = (sections: string) =>
      fetch(`${preview.origin}/cart/add.js`, {
        method: "POST",
        headers: { "Content-Type": "application/json", cookie },
        body: JSON.stringify({ items: [{ id: published.products[1].id, quantity: 2 }], sections }),
      });
    const response = await add("cart-drawer,cart-icon-bubble");
    const { sections } = (await response.json()) as { sections: Record<string, string> };
    expect(sections["cart-drawer"]).toContain("Merino Running Socks × 2");
    expect(sections["cart-drawer"]).toContain("$28.00");
    expect(sections["cart-icon-bubble"]).toContain('<span aria-hidden="true">2</span>');
    expect((await add("cart-drawer,no-such-section")).status).toBe(422);
  });
});

// The buy-again block's Liquid, rendered by the honest preview engine: who sees it, what it lists,
// and that its ranking is the domain's (app/domain/buy-again/dueness.ts) for many random histories.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_DUE_OPTIONS, dueProducts } from "~/domain/buy-again/dueness";
import {
  EXTENSION_DIR,
  PERSONAS,
  personaById,
  renderPersonaPage,
  sampleStorefront,
  type PreviewOrder,
  type PublishedStorefront,
} from "@persegment/storefront-preview";

const NOW = new Date("2026-11-23T10:00:00Z");

function buyAgainSection(html: string) {
  return (
    /<section class="persegment-upsell persegment-buy-again"[\s\S]*?<\/section>/.exec(html)?.[0] ??
    null
  );
}

function buyAgainTitles(html: string) {
  const section = buyAgainSection(html);
  return section
    ? [...section.matchAll(/persegment-upsell__title">([^<]*)</g)].map((match) => match[1])
    : [];
}

describe("buy-again Liquid", () => {
  const published = sampleStorefront(NOW);

  it("shows the returning customer their due products, most due first", async () => {
    expect(published.repurchaseDays).toEqual({
      "gid://shopify/Product/1002": 61,
      "gid://shopify/Product/1005": 45,
    });
    const html = await renderPersonaPage(personaById("returning"), published, { now: NOW });
    // Socks: 82 days since 1 September over 61 (1344 ‰); the kit: 52 days over 45 (1155 ‰).
    expect(buyAgainTitles(html)).toEqual(["Merino Running Socks", "Blister Kit &lt;Pro&gt;"]);
    expect(buyAgainSection(html)).toContain(">Time to buy again?</h2>");
    expect(buyAgainSection(html)).toContain('href="/products/merino-running-socks"');
  });

  it("has the domain's defaults as its settings' defaults", () => {
    const source = readFileSync(path.join(EXTENSION_DIR, "blocks/buy-again.liquid"), "utf8");
    const schema = JSON.parse(/{% schema %}([\s\S]*){% endschema %}/.exec(source)![1]) as {
      settings: { id: string; default?: unknown }[];
    };
    const defaults = Object.fromEntries(schema.settings.map((s) => [s.id, s.default]));
    expect({ duePercent: defaults.due_percent, limit: defaults.limit }).toEqual(
      DEFAULT_DUE_OPTIONS,
    );
  });

  it("shows nothing not yet due", async () => {
    // Ten days after the kit was bought, nothing is at 90 % of its interval.
    const html = await renderPersonaPage(personaById("returning"), published, {
      now: new Date("2026-10-11T12:00:00Z"),
    });
    expect(buyAgainSection(html)).toBeNull();
  });

  it.each(PERSONAS.filter((persona) => persona.id !== "returning").map((persona) => persona.id))(
    "renders no markup at all for %s (a guest, or a customer without those orders)",
    async (id) => {
      const html = await renderPersonaPage(personaById(id), published, { now: NOW });
      expect(html).not.toContain("persegment-buy-again");
      expect(html).not.toContain("PersegmentBuyAgain");
    },
  );

  it("ranks exactly as the domain rule does, for many random histories", async () => {
    let seed = 21;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    // Products 1001–1006 (1003 is unavailable) and 1099, a deleted product.
    const ids = [...published.products.map((product) => product.id), "gid://shopify/Product/1099"];
    const available = new Set(published.products.filter((p) => p.available).map((p) => p.id));
    const returning = personaById("returning");
    let shown = 0;
    for (let run = 0; run < 60; run++) {
      const repurchaseDays = Object.fromEntries(
        ids.filter(() => random() < 0.7).map((id) => [id, 1 + Math.floor(random() * 120)]),
      );
      const orders: PreviewOrder[] = Array.from({ length: 1 + Math.floor(random() * 20) }, () => ({
        createdAt: new Date(NOW.getTime() - Math.floor(random() * 300 * 86_400_000)).toISOString(),
        cancelled: random() < 0.1,
        financialStatus: pick(["paid", "paid", "paid", "partially_refunded", "refunded", "voided"]),
        lines: ids
          .filter(() => random() < 0.3)
          .map((productId) => ({ productId, quantity: 1, giftCard: random() < 0.05 })),
      })).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const storefront: PublishedStorefront = {
        ...published,
        repurchaseDays,
        returningCustomerOrders: orders,
      };
      const html = await renderPersonaPage(returning, storefront, { now: NOW });
      const titleOf = new Map(
        published.products.map((p) => [p.id, p.title.replace("<", "&lt;").replace(">", "&gt;")]),
      );
      const expected = dueProducts(
        orders.map((order) => ({ ...order, createdAt: new Date(order.createdAt) })),
        new Map(Object.entries(repurchaseDays)),
        (id) => available.has(id),
        NOW,
        DEFAULT_DUE_OPTIONS,
      ).map((product) => titleOf.get(product.productId));
      expect(buyAgainTitles(html), JSON.stringify({ repurchaseDays, orders })).toEqual(expected);
      if (expected.length) shown += 1;
    }
    // Agreement is not trivially "nothing shown" every time, nor everything every time.
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(60);
  });
});

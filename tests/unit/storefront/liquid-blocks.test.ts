// The extension's Liquid, rendered by the honest preview engine: which bar each visitor gets (and
// that it is the same choice the admin preview computes), escaping, and the upsell rules.
import { describe, expect, it } from "vitest";
import { chooseBar } from "~/domain/storefront/selection";
import type { PublishedBar, PublishedBars } from "~/domain/storefront/published";
import {
  PERSONAS,
  personaById,
  renderPersonaPage,
  type Persona,
  type PublishedStorefront,
  sampleStorefront,
} from "@persegment/storefront-preview";

const NOW = new Date("2026-11-23T10:00:00Z");

function barOf(html: string) {
  const match = /<persegment-bar[^>]*data-bar-id="([^"]+)"[\s\S]*?<\/persegment-bar>/.exec(html);
  return match ? { id: match[1], html: match[0] } : null;
}

function upsellTitles(html: string) {
  return [...html.matchAll(/persegment-upsell__title">([^<]*)</g)].map((match) => match[1]);
}

describe("top bar Liquid", () => {
  const published = sampleStorefront();
  const expected: Record<string, string | null> = {
    "guest-us": "Free shipping",
    "guest-de": "Free shipping",
    champion: "Champions thank-you",
    lapsed: "We miss you",
    returning: "Free shipping",
    "guest-ca": null,
    "near-free-shipping": "Free shipping",
  };
  const idOf = (name: string) =>
    `bar${["Ended flash sale", "Champions thank-you", "We miss you", "Free shipping"].indexOf(name) + 1}`;

  it.each(PERSONAS.map((persona) => [persona.id, persona] as const))(
    "shows %s the right bar or none",
    async (id, persona) => {
      const bar = barOf(await renderPersonaPage(persona, published, { now: NOW }));
      expect(bar?.id ?? null).toBe(expected[id] ? idOf(expected[id]!) : null);
    },
  );

  it("escapes merchant text: markup is shown as text, never as elements", async () => {
    const bar = barOf(await renderPersonaPage(personaById("champion"), published, { now: NOW }))!;
    expect(bar.html).toContain(
      "&lt;script&gt;window.__persegmentInjected = true&lt;/script&gt;&lt;b onclick=&#34;x()&#34;&gt;",
    );
    expect(bar.html).not.toMatch(/<script>window/);
    expect(bar.html).not.toMatch(/<b /);
  });

  it("shows the amount left to the market's threshold, in the visitor's language and currency", async () => {
    const us = barOf(
      await renderPersonaPage(personaById("near-free-shipping"), published, { now: NOW }),
    )!;
    expect(us.html).toContain('data-threshold="5000" data-currency="USD"');
    expect(us.html).toMatch(/Only <strong data-persegment-amount>\$2\.00<\/strong> to go/);
    expect(us.html).toContain("--persegment-progress: 96;");
    const de = barOf(await renderPersonaPage(personaById("guest-de"), published, { now: NOW }))!;
    expect(de.html).toMatch(/Nur noch <strong data-persegment-amount>45,00\s€<\/strong>/);
    expect(de.html).toContain('aria-label="Ankündigung schließen"');
    const reached = barOf(
      await renderPersonaPage(personaById("near-free-shipping"), published, {
        now: NOW,
        cart: [{ productId: published.products[0].id, quantity: 1 }],
      }),
    )!;
    expect(reached.html).toMatch(/<span data-persegment-progress hidden>/);
    expect(reached.html).toMatch(
      /<span data-persegment-reached>You&#39;ve unlocked free shipping!/,
    );
  });

  it("writes nothing about the customer into the page", async () => {
    const html = await renderPersonaPage(personaById("champion"), published, { now: NOW });
    for (const tag of personaById("champion").customerTags!) expect(html).not.toContain(tag);
  });

  it("renders nothing, without failing, before anything is published", async () => {
    const html = await renderPersonaPage(
      personaById("champion"),
      { ...published, bars: null, upsells: {} },
      { now: NOW },
    );
    expect(barOf(html)).toBeNull();
    expect(html).not.toContain("persegment-upsell");
  });

  it("makes the same choice as the admin's persona preview for many random visitors and bars", async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
    const someOf = <T>(values: T[]) => (random() < 0.5 ? [] : values.filter(() => random() < 0.5));
    const tags = ["seg-champions", "seg-vip", "seg-lapsed-90"];
    const countries = ["US", "DE", "CA"];
    const nowSeconds = NOW.getTime() / 1000;
    const outcomes = { none: 0, message: 0, free_shipping: 0 };
    for (let round = 0; round < 150; round++) {
      const bars: PublishedBar[] = Array.from(
        { length: 1 + Math.floor(random() * 4) },
        (_, index) => ({
          id: `b${index}`,
          kind: pick(["message", "free_shipping"] as const),
          priority: 10 - index,
          messages: [
            { locale: "en", text: `bar ${index} {amount}` },
            { locale: "de", text: `Leiste ${index}` },
          ],
          reached: [{ locale: "en", text: `reached ${index}` }],
          link: "",
          background: "#000000",
          color: "#ffffff",
          tags: someOf(tags),
          countries: someOf(countries),
          visitors: pick(["everyone", "logged_in", "guest"] as const),
          starts_at: pick([0, 0, nowSeconds - 60, nowSeconds + 60]),
          ends_at: pick([0, 0, nowSeconds, nowSeconds + 60]),
          thresholds: [
            ...someOf([
              { countries: ["US"], currency: "USD", amount: 5000 },
              { countries: [], currency: "EUR", amount: 4000 },
              { countries: [], currency: "USD", amount: 9000 },
            ]),
            { countries: ["DE"], currency: "EUR", amount: 3000 },
          ],
          holdout_percent: pick([0, 0, 10, 50]),
          holdout_start: Math.floor(random() * 100),
        }),
      );
      const publishedBars: PublishedBars = { version: 1, bars, boundary: 0 };
      const customerTags = random() < 0.4 ? null : someOf(tags);
      const customerId = 7_712_345_678_901 + Math.floor(random() * 1_000_000);
      const country = pick(countries);
      const currency = pick(["USD", "EUR"]);
      const persona: Persona = {
        id: "random",
        label: "Random",
        customerTags,
        customerId,
        country,
        locale: pick(["en", "de", "fr"]),
        currency,
        page: "cart",
        initialCart: () => [],
      };
      const storefront: PublishedStorefront = { bars: publishedBars, upsells: {}, products: [] };
      const html = await renderPersonaPage(persona, storefront, { now: NOW });
      const expectedBar = chooseBar(
        publishedBars,
        {
          customerTags,
          customerId,
          country,
          locale: persona.locale,
          cartCurrency: currency,
          cartTotalCents: 0,
        },
        NOW,
      );
      expect(barOf(html)?.id ?? null, JSON.stringify({ bars, persona })).toBe(
        expectedBar?.bar.id ?? null,
      );
      if (expectedBar) expect(barOf(html)!.html).toContain(expectedBar.text.split(" {amount}")[0]);
      outcomes[expectedBar?.kind ?? "none"] += 1;
    }
    // The random cases cover every outcome, so agreement is not trivially "no bar" every time.
    expect(Math.min(...Object.values(outcomes))).toBeGreaterThan(5);
  });
});

describe("upsell Liquid", () => {
  const published = sampleStorefront();

  it("lists pinned and bought-together products in order, skipping unavailable ones and the product itself", async () => {
    const html = await renderPersonaPage(personaById("guest-us"), published, { now: NOW });
    expect(upsellTitles(html)).toEqual([
      "Merino Running Socks",
      "Blister Kit &lt;Pro&gt;",
      "Reflective Cap",
      "Foam Roller",
    ]);
    expect(html).toMatch(
      /<section class="persegment-upsell" aria-labelledby="PersegmentUpsell-[^"]+"/,
    );
    expect(html).toMatch(
      /<img\s+src="\/images\/1002\.svg\?width=360"\s+width="360"\s+height="360"\s+loading="lazy"\s+alt=""/,
    );
  });

  it("skips products already in the cart and merges the cart lines' picks on the cart page", async () => {
    const [shoes, socks, , , kit] = published.products;
    const productPage = await renderPersonaPage(personaById("guest-us"), published, {
      now: NOW,
      cart: [{ productId: socks.id, quantity: 1 }],
    });
    expect(upsellTitles(productPage)).toEqual([
      "Blister Kit &lt;Pro&gt;",
      "Reflective Cap",
      "Foam Roller",
    ]);
    const cartPage = await renderPersonaPage(personaById("near-free-shipping"), published, {
      now: NOW,
      cart: [
        { productId: kit.id, quantity: 1 },
        { productId: shoes.id, quantity: 1 },
      ],
    });
    expect(upsellTitles(cartPage)).toEqual([
      "Merino Running Socks",
      "Reflective Cap",
      "Foam Roller",
    ]);
  });
});

// Renders a storefront page the way Shopify would for one shopper: a plain theme layout, the
// Persegment top bar (app embed, end of <body>) and the upsell app block in the product or cart
// section, fed with data shaped exactly like the published metafields.
import type { PublishedBars } from "~/domain/storefront/published";
import { createEngine, defaultSettings, formatMoney, readBlock } from "./liquid";

export interface PreviewProduct {
  /** Product GID, as in the published list.product_reference value. */
  id: string;
  handle: string;
  title: string;
  priceCents: number;
  available: boolean;
  imageUrl: string | null;
}

/** What the app published to Shopify, plus the catalog the product references point into. */
export interface PublishedStorefront {
  /** Value of the app-data metafield persegment.bars (null: never published). */
  bars: PublishedBars | null;
  /** Value of each product's $app:persegment.upsells metafield: product GIDs, in order. */
  upsells: Record<string, string[]>;
  products: PreviewProduct[];
  shopName?: string;
}

export interface CartLine {
  productId: string;
  quantity: number;
}

export interface Persona {
  id: string;
  label: string;
  /** null: a guest. Otherwise the customer's tags (segment tags included). */
  customerTags: string[] | null;
  country: string;
  locale: string;
  currency: string;
  page: "product" | "cart";
  /** Cart contents when the page is first opened. */
  initialCart(published: PublishedStorefront): CartLine[];
}

const emptyCart = () => [];

export const PERSONAS: Persona[] = [
  {
    id: "guest-us",
    label: "Guest in the US",
    customerTags: null,
    country: "US",
    locale: "en",
    currency: "USD",
    page: "product",
    initialCart: emptyCart,
  },
  {
    id: "guest-de",
    label: "Guest in Germany",
    customerTags: null,
    country: "DE",
    locale: "de",
    currency: "EUR",
    page: "product",
    initialCart: emptyCart,
  },
  {
    id: "champion",
    label: "Logged-in champion",
    customerTags: ["seg-champions", "seg-repeat", "newsletter"],
    country: "US",
    locale: "en",
    currency: "USD",
    page: "product",
    initialCart: emptyCart,
  },
  {
    id: "lapsed",
    label: "Logged-in lapsed customer",
    customerTags: ["seg-lapsed-90", "seg-one-time"],
    country: "US",
    locale: "en",
    currency: "USD",
    page: "product",
    initialCart: emptyCart,
  },
  {
    id: "guest-ca",
    label: "Guest in Canada",
    customerTags: null,
    country: "CA",
    locale: "en",
    currency: "CAD",
    page: "product",
    initialCart: emptyCart,
  },
  {
    id: "near-free-shipping",
    label: "Cart near the free-shipping threshold",
    customerTags: null,
    country: "US",
    locale: "en",
    currency: "USD",
    page: "cart",
    initialCart: (published) => cartJustBelowThreshold(published, "US", "USD"),
  },
];

export function personaById(id: string): Persona {
  const persona = PERSONAS.find((candidate) => candidate.id === id);
  if (!persona) throw new Error(`unknown persona ${id}`);
  return persona;
}

/** The cheapest available product, as many times as fits below the market's free-shipping threshold. */
export function cartJustBelowThreshold(
  published: PublishedStorefront,
  country: string,
  currency: string,
): CartLine[] {
  const thresholds = (published.bars?.bars ?? [])
    .filter((bar) => bar.kind === "free_shipping")
    .flatMap((bar) => bar.thresholds)
    .filter(
      (entry) =>
        entry.currency === currency &&
        (entry.countries.length === 0 || entry.countries.includes(country)),
    );
  const cheapest = [...published.products]
    .filter((product) => product.available)
    .sort((a, b) => a.priceCents - b.priceCents)[0];
  if (!thresholds.length || !cheapest) return [];
  const quantity = Math.max(1, Math.floor((thresholds[0].amount - 1) / cheapest.priceCents));
  return [{ productId: cheapest.id, quantity }];
}

export interface RenderOptions {
  now?: Date;
  /** Current cart; defaults to the persona's initial cart. */
  cart?: CartLine[];
  /** Product page to show; defaults to the product with the most published upsells. */
  productId?: string;
}

export function numericId(gid: string): number {
  const id = Number(gid.split("/").pop());
  if (!Number.isSafeInteger(id)) throw new Error(`not a Shopify GID: ${gid}`);
  return id;
}

export function featuredProductId(published: PublishedStorefront): string {
  const [best] = Object.entries(published.upsells).sort(
    ([a, x], [b, y]) => y.length - x.length || a.localeCompare(b),
  );
  return best?.[0] ?? published.products[0]?.id ?? "";
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function cartTotal(published: PublishedStorefront, cart: CartLine[]) {
  const byId = new Map(published.products.map((product) => [product.id, product]));
  return cart.reduce(
    (sum, line) => sum + (byId.get(line.productId)?.priceCents ?? 0) * line.quantity,
    0,
  );
}

/** The shape `/cart.js` returns (the fields the extension reads, plus a few for realism). */
export function cartJson(published: PublishedStorefront, cart: CartLine[], currency: string) {
  const byId = new Map(published.products.map((product) => [product.id, product]));
  return {
    currency,
    item_count: cart.reduce((sum, line) => sum + line.quantity, 0),
    total_price: cartTotal(published, cart),
    items: cart.map((line) => ({
      product_id: numericId(line.productId),
      quantity: line.quantity,
      title: byId.get(line.productId)?.title ?? "",
      final_line_price: (byId.get(line.productId)?.priceCents ?? 0) * line.quantity,
    })),
  };
}

/** Liquid product objects: only the properties Shopify's product object has and the blocks use. */
function productDrops(published: PublishedStorefront) {
  const drops = new Map<string, Record<string, unknown>>();
  for (const product of published.products) {
    const drop: Record<string, unknown> = {
      id: numericId(product.id),
      title: product.title,
      handle: product.handle,
      url: `/products/${product.handle}`,
      price: product.priceCents,
      available: product.available,
      featured_image: product.imageUrl
        ? { src: product.imageUrl, alt: "", width: 720, height: 720 }
        : null,
    };
    drops.set(product.id, drop);
  }
  for (const [id, drop] of drops) {
    const references = published.upsells[id];
    drop.metafields = {
      "$app:persegment": {
        upsells: references
          ? {
              type: "list.product_reference",
              // Shopify drops references to deleted products from the list.
              value: references.map((reference) => drops.get(reference)).filter(Boolean),
            }
          : null,
      },
    };
  }
  return drops;
}

export async function renderPersonaPage(
  persona: Persona,
  published: PublishedStorefront,
  options: RenderOptions = {},
) {
  const now = options.now ?? new Date();
  const cart = options.cart ?? persona.initialCart(published);
  const engine = createEngine({ locale: persona.locale, currency: persona.currency, now });
  const drops = productDrops(published);
  const productId = options.productId ?? featuredProductId(published);
  const product = persona.page === "product" ? (drops.get(productId) ?? null) : null;
  const cartObject = {
    currency: { iso_code: persona.currency },
    total_price: cartTotal(published, cart),
    item_count: cart.reduce((sum, line) => sum + line.quantity, 0),
    items: cart.map((line) => {
      const drop = drops.get(line.productId);
      if (!drop) throw new Error(`cart line for unknown product ${line.productId}`);
      return {
        product_id: drop.id,
        product: drop,
        quantity: line.quantity,
        title: drop.title,
        final_line_price: (drop.price as number) * line.quantity,
      };
    }),
  };
  const globals = {
    app: {
      metafields: {
        persegment: { bars: published.bars ? { type: "json", value: published.bars } : null },
      },
    },
    customer: persona.customerTags ? { tags: persona.customerTags } : null,
    localization: { country: { iso_code: persona.country } },
    request: { locale: { iso_code: persona.locale } },
    cart: cartObject,
  };

  const topBar = readBlock("top-bar.liquid");
  const upsell = readBlock("upsell.liquid");
  const topBarHtml = await engine.parseAndRender(topBar.source, {
    ...globals,
    block: { id: "AbCdEmbed1", settings: defaultSettings(topBar.schema), shopify_attributes: "" },
  });
  const upsellHtml = await engine.parseAndRender(upsell.source, {
    ...globals,
    ...(product ? { product } : {}),
    block: {
      id: "AbCdUpsell1",
      settings: { ...defaultSettings(upsell.schema), product },
      shopify_attributes: 'data-shopify-editor-block="{}"',
    },
  });

  const assetTags = [topBar.schema, upsell.schema]
    .flatMap((schema) => [
      schema.stylesheet ? `<link rel="stylesheet" href="/assets/${schema.stylesheet}">` : "",
      schema.javascript ? `<script src="/assets/${schema.javascript}" defer></script>` : "",
    ])
    .join("\n    ");
  const money = (cents: number) => formatMoney(cents, persona.currency, persona.locale);
  const productRaw = published.products.find((candidate) => candidate.id === productId);
  const main =
    persona.page === "product" && productRaw
      ? `<section class="theme-product">
        <h1>${escapeHtml(productRaw.title)}</h1>
        <p class="theme-price">${money(productRaw.priceCents)}</p>
        <button type="button" class="theme-add" data-product-id="${escapeHtml(productRaw.id)}">Add to cart</button>
        ${upsellHtml}
      </section>`
      : `<section class="theme-cart">
        <h1>Cart</h1>
        <ul class="theme-cart-lines">${cartObject.items
          .map(
            (line) =>
              `<li>${escapeHtml(String(line.title))} × ${line.quantity} — ${money(line.final_line_price)}</li>`,
          )
          .join("")}</ul>
        <p>Total <strong class="theme-cart-total">${money(cartObject.total_price)}</strong></p>
        ${
          cart[0]
            ? `<button type="button" class="theme-add" data-product-id="${escapeHtml(cart[0].productId)}">Add one more</button>`
            : ""
        }
        ${upsellHtml}
      </section>`;

  return `<!doctype html>
<html lang="${persona.locale}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(published.shopName ?? "Preview store")} — ${escapeHtml(persona.label)}</title>
    <style>
      body { margin: 0; font-family: system-ui, sans-serif; color: #1a1a1a; }
      header, main, footer { padding: 1rem 2rem; }
      header { border-bottom: 1px solid #ddd; display: flex; justify-content: space-between; }
      .theme-add { padding: 0.75rem 1.5rem; font: inherit; background: #1a1a1a; color: #fff; border: 0; cursor: pointer; }
    </style>
    ${assetTags}
  </head>
  <body>
    <header>
      <strong>${escapeHtml(published.shopName ?? "Preview store")}</strong>
      <a href="/cart">Cart (<span class="theme-cart-count">${cartObject.item_count}</span>)</a>
    </header>
    <main>
      ${main}
    </main>
    <footer><p>Preview: ${escapeHtml(persona.label)} · ${persona.country} · ${persona.locale}</p></footer>
    <script>
      // Theme code, not the extension's: an ordinary AJAX add to cart, like Dawn's.
      document.querySelectorAll(".theme-add").forEach((button) =>
        button.addEventListener("click", async () => {
          await fetch("/cart/add.js", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ items: [{ id: button.dataset.productId, quantity: 1 }] }),
          });
          const count = document.querySelector(".theme-cart-count");
          count.textContent = String(Number(count.textContent) + 1);
        }),
      );
    </script>
    ${topBarHtml}
  </body>
</html>
`;
}

// Renders a storefront page the way Shopify would for one shopper: a Dawn-like theme (./theme), the
// Persegment top bar (the app embed at the end of <head>, or the app block in the header group),
// the upsell app block in the product or cart section and the buy-again app block in a section
// of its own below, fed with data shaped exactly like the published metafields.
import { isHeldOut } from "~/domain/measurement/holdout-slot";
import type { PublishedBars } from "~/domain/storefront/published";
import type { Liquid, Template } from "liquidjs";
import { createEngine, defaultSettings, formatMoney, readBlock, type BlockSchema } from "./liquid";
import {
  cartBubbleHtml,
  cartDrawerHtml,
  escapeHtml,
  headerGroupAppSection,
  themeLayout,
  type ThemePage,
} from "./theme";
import { webPixelHostTag, type ConnectedWebPixel } from "./web-pixel";

export interface PreviewProduct {
  /** Product GID, as in the published list.product_reference value. */
  id: string;
  handle: string;
  title: string;
  priceCents: number;
  available: boolean;
  imageUrl: string | null;
}

/** One of the logged-in shopper's orders, as Liquid's customer.orders shows it. */
export interface PreviewOrder {
  createdAt: string;
  cancelled: boolean;
  /** Liquid's order.financial_status, e.g. "paid" or "refunded". */
  financialStatus: string;
  lines: { productId: string; quantity: number; giftCard: boolean }[];
}

/** What the app published to Shopify, plus the catalog the product references point into. */
export interface PublishedStorefront {
  /** Value of the app-data metafield persegment.bars (null: never published). */
  bars: PublishedBars | null;
  /** Value of each product's $app:persegment.upsells metafield: product GIDs, in order. */
  upsells: Record<string, string[]>;
  /** Value of each replenishable product's $app:persegment.repurchase_days metafield. */
  repurchaseDays?: Record<string, number>;
  /**
   * The orders of the customer the `returning` persona logs in as, newest first, at most the 20
   * Liquid shows (customer.orders is paged by 20).
   */
  returningCustomerOrders?: PreviewOrder[];
  products: PreviewProduct[];
  shopName?: string;
  /** The shop's myshopify.com domain (the pixel's `init.data.shop`). */
  shopDomain?: string;
  /** The app's web pixel, when the app connected it (webPixelCreate): it runs on every page. */
  webPixel?: ConnectedWebPixel | null;
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
  /**
   * The logged-in customer's numeric id (it decides their holdouts). Absent: the first id from
   * FIRST_PERSONA_ID that no published bar holds out, so a persona shows what most customers see.
   */
  customerId?: number;
  country: string;
  locale: string;
  currency: string;
  page: "product" | "cart";
  /** Cart contents when the page is first opened. */
  initialCart(published: PublishedStorefront): CartLine[];
  /** The logged-in customer's orders (customer.orders); none when absent. */
  orders?(published: PublishedStorefront): PreviewOrder[];
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
    id: "returning",
    label: "Logged-in customer due to buy again",
    customerTags: ["seg-repeat"],
    country: "US",
    locale: "en",
    currency: "USD",
    page: "product",
    initialCart: emptyCart,
    orders: (published) => published.returningCustomerOrders ?? [],
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
  /**
   * Where the merchant turned the top bar on: the app embed (the default, what the admin's deep
   * link switches on), the app block in the header group, or both.
   */
  barPlacement?: BarPlacement;
}

export type BarPlacement = "embed" | "block" | "both";
export const BAR_PLACEMENTS: BarPlacement[] = ["embed", "block", "both"];

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
    const repurchaseDays = published.repurchaseDays?.[id];
    drop.metafields = {
      "$app:persegment": {
        upsells: references
          ? {
              type: "list.product_reference",
              // Shopify drops references to deleted products from the list.
              value: references.map((reference) => drops.get(reference)).filter(Boolean),
            }
          : null,
        repurchase_days:
          repurchaseDays === undefined ? null : { type: "number_integer", value: repurchaseDays },
      },
    };
  }
  return drops;
}

const FIRST_PERSONA_ID = 7_000_000_000_001;

/** The persona's customer id: its own, else the first one outside every published holdout. */
export function personaCustomerId(persona: Persona, published: PublishedStorefront): number {
  if (persona.customerId !== undefined) return persona.customerId;
  const bars = published.bars?.bars ?? [];
  const shown = (id: number) =>
    bars.every((bar) => !isHeldOut(id, { percent: bar.holdout_percent, start: bar.holdout_start }));
  // Holdouts never overlap, so at least 1 % of ids is outside all of them unless they cover 100 %.
  for (let id = FIRST_PERSONA_ID; id < FIRST_PERSONA_ID + 10_000; id++) if (shown(id)) return id;
  return FIRST_PERSONA_ID;
}

/** The Liquid objects Shopify gives every template and snippet, for this shopper and cart. */
function shopifyGlobals(
  persona: Persona,
  published: PublishedStorefront,
  cart: CartLine[],
  drops: Map<string, Record<string, unknown>>,
) {
  return {
    app: {
      metafields: {
        persegment: { bars: published.bars ? { type: "json", value: published.bars } : null },
      },
    },
    customer: persona.customerTags
      ? {
          id: personaCustomerId(persona, published),
          tags: persona.customerTags,
          orders: orderDrops(persona.orders?.(published) ?? [], drops),
        }
      : null,
    localization: { country: { iso_code: persona.country } },
    request: { locale: { iso_code: persona.locale } },
    cart: {
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
    },
  };
}

/** Liquid order objects: the properties the buy-again block reads; a deleted product is nil. */
function orderDrops(orders: PreviewOrder[], drops: Map<string, Record<string, unknown>>) {
  return orders.map((order) => ({
    created_at: order.createdAt,
    cancelled: order.cancelled,
    financial_status: order.financialStatus,
    line_items: order.lines.map((line) => ({
      product_id: numericId(line.productId),
      product: drops.get(line.productId) ?? null,
      quantity: line.quantity,
      gift_card: line.giftCard,
    })),
  }));
}

/**
 * Renders the top bar's app embed (blocks/top-bar.liquid) alone, for many shoppers with empty
 * carts: one engine per language and currency, one parse. The holdout tests render it for
 * thousands of customers.
 */
export function topBarRenderer(published: PublishedStorefront, now = new Date()) {
  const topBar = readBlock("top-bar.liquid");
  const block = {
    id: "AbCdEmbed1",
    settings: defaultSettings(topBar.schema),
    shopify_attributes: "",
  };
  const engines = new Map<string, { engine: Liquid; template: Template[] }>();
  return (persona: Persona): string => {
    const key = `${persona.locale}/${persona.currency}`;
    let entry = engines.get(key);
    if (!entry) {
      const engine = createEngine({ locale: persona.locale, currency: persona.currency, now });
      entry = { engine, template: engine.parse(topBar.source) };
      engines.set(key, entry);
    }
    const globals = shopifyGlobals(persona, published, [], new Map());
    return entry.engine.renderSync(entry.template, { ...globals, block }, { globals });
  };
}

/** The theme's cart drawer and cart icon, as /cart/add.js returns them for `sections`. */
export function cartSections(persona: Persona, published: PublishedStorefront, cart: CartLine[]) {
  const theme = themeCart(persona, published, cart);
  return {
    "cart-drawer": cartDrawerHtml(theme),
    "cart-icon-bubble": cartBubbleHtml(theme.itemCount),
  };
}

function themeCart(
  persona: Persona,
  published: PublishedStorefront,
  cart: CartLine[],
): ThemePage["cart"] {
  const money = (cents: number) => formatMoney(cents, persona.currency, persona.locale);
  const byId = new Map(published.products.map((product) => [product.id, product]));
  return {
    itemCount: cart.reduce((sum, line) => sum + line.quantity, 0),
    total: money(cartTotal(published, cart)),
    lines: cart.map((line) => {
      const product = byId.get(line.productId);
      return {
        title: product?.title ?? "",
        quantity: line.quantity,
        price: money((product?.priceCents ?? 0) * line.quantity),
        imageUrl: product?.imageUrl ?? null,
      };
    }),
  };
}

export async function renderPersonaPage(
  persona: Persona,
  published: PublishedStorefront,
  options: RenderOptions = {},
) {
  const now = options.now ?? new Date();
  const cart = options.cart ?? persona.initialCart(published);
  const placement = options.barPlacement ?? "embed";
  const engine = createEngine({ locale: persona.locale, currency: persona.currency, now });
  const drops = productDrops(published);
  const productId = options.productId ?? featuredProductId(published);
  const product = persona.page === "product" ? (drops.get(productId) ?? null) : null;
  const globals = shopifyGlobals(persona, published, cart, drops);
  const cartObject = globals.cart;
  // Shopify's objects are global: snippets rendered by a block see them too.
  const render = (source: string, block: Record<string, unknown>, scope = {}) =>
    engine.parseAndRender(source, { ...globals, ...scope, block }, { globals });

  const topBar = readBlock("top-bar.liquid");
  const topBarHeader = readBlock("top-bar-header.liquid");
  const upsell = readBlock("upsell.liquid");
  const buyAgain = readBlock("buy-again.liquid");
  const embedOn = placement !== "block";
  const blockOn = placement !== "embed";
  const topBarHtml = embedOn
    ? await render(topBar.source, {
        id: "AbCdEmbed1",
        settings: defaultSettings(topBar.schema),
        shopify_attributes: "",
      })
    : "";
  const topBarBlockHtml = blockOn
    ? await render(topBarHeader.source, {
        id: "AbCdHeaderBar1",
        settings: defaultSettings(topBarHeader.schema),
        shopify_attributes: "",
      })
    : "";
  const upsellHtml = await render(
    upsell.source,
    {
      id: "AbCdUpsell1",
      settings: { ...defaultSettings(upsell.schema), product },
      shopify_attributes: 'data-shopify-editor-block="{}"',
    },
    product ? { product } : {},
  );
  const buyAgainHtml = await render(buyAgain.source, {
    id: "AbCdBuyAgain1",
    settings: defaultSettings(buyAgain.schema),
    shopify_attributes: 'data-shopify-editor-block="{}"',
  });

  // Shopify loads the assets of the blocks on the page once each, in <head>.
  const onPage: BlockSchema[] = [
    ...(embedOn ? [topBar.schema] : []),
    ...(blockOn ? [topBarHeader.schema] : []),
    upsell.schema,
    buyAgain.schema,
  ];
  const assetTags = [
    ...new Set(
      onPage.flatMap((schema) => [
        schema.stylesheet ? `<link rel="stylesheet" href="/assets/${schema.stylesheet}">` : "",
        schema.javascript ? `<script src="/assets/${schema.javascript}" defer></script>` : "",
      ]),
    ),
  ]
    .filter(Boolean)
    .join("\n    ");
  const pixelTag = await webPixelHostTag(published.webPixel, {
    domain: published.shopDomain ?? "preview-store.myshopify.com",
    name: published.shopName ?? "Preview store",
  });
  const inTarget = (target: string) =>
    embedOn && topBar.schema.target === target ? topBarHtml : "";
  const money = (cents: number) => formatMoney(cents, persona.currency, persona.locale);
  const productRaw = published.products.find((candidate) => candidate.id === productId);
  const main =
    persona.page === "product" && productRaw
      ? `<section class="product page-width">
        <div class="product__media">${
          productRaw.imageUrl
            ? `<img src="${escapeHtml(productRaw.imageUrl)}" alt="" width="720" height="720">`
            : ""
        }</div>
        <div class="product__info">
          <h1>${escapeHtml(productRaw.title)}</h1>
          <p class="theme-price">${money(productRaw.priceCents)}</p>
          <button type="button" class="theme-add" data-product-id="${escapeHtml(productRaw.id)}">Add to cart</button>
          <div class="product__description">
            <p>Built for long days on rough ground: a grippy outsole, a roomy toe box and a light, breathable upper that dries fast after a river crossing.</p>
            <p>Free returns within 30 days. Ships in recycled packaging.</p>
          </div>
          ${upsellHtml}
        </div>
      </section>`
      : `<section class="cart page-width">
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

  return themeLayout({
    lang: persona.locale,
    title: `${published.shopName ?? "Preview store"} — ${persona.label}`,
    shopName: published.shopName ?? "Preview store",
    // Shopify's web pixels manager comes first in content_for_header.
    contentForHeader: pixelTag ? `${pixelTag}\n    ${assetTags}` : assetTags,
    headEmbeds: inTarget("head"),
    headerGroupApps: blockOn
      ? [headerGroupAppSection("persegment_top_bar", "AbCdHeaderBar1", topBarBlockHtml)]
      : [],
    // The merchant adds the buy-again block in an Apps section below the main one.
    main: `${main}
      <div class="shopify-section page-width" id="shopify-section-apps">${buyAgainHtml}</div>`,
    cart: themeCart(persona, published, cart),
    cartPage: persona.page === "cart",
    footerNote: `${persona.label} · ${persona.country} · ${persona.locale} · top bar: ${placement}`,
    bodyEmbeds: inTarget("body"),
  });
}

// A small store's published data for the preview and the browser tests, built with the app's own
// publishing code (bars validated and turned into metafield JSON exactly as `publish` does).
import { repurchaseIntervals } from "~/domain/buy-again/repurchase-intervals";
import { DEFAULT_HOLDOUT_PERCENT } from "~/domain/measurement/holdout";
import {
  barConfig,
  validateBar,
  withPlacedHoldout,
  type BarDefinition,
  type StoredBar,
} from "~/domain/storefront/bars";
import { publishedBars } from "~/domain/storefront/published";
import type { PreviewOrder, PreviewProduct, PublishedStorefront } from "./render";

const SEGMENTS = ["champions", "lapsed-90", "repeat", "one-time"].map((handle) => ({
  handle,
  name: handle,
  tagEnabled: true,
}));

const base: Omit<BarDefinition, "name" | "priority" | "kind" | "messages"> = {
  enabled: true,
  defaultLocale: "en",
  reachedMessages: {},
  link: "",
  colors: { background: "#1f2937", text: "#ffffff" },
  audience: { segments: [], countries: [], visitors: "everyone" },
  schedule: { startsAt: null, endsAt: null },
  thresholds: [],
  holdout: { percent: DEFAULT_HOLDOUT_PERCENT, start: null, since: null },
};

export const SAMPLE_BARS: BarDefinition[] = [
  {
    ...base,
    name: "Ended flash sale",
    priority: 100,
    kind: "message",
    messages: { en: "Flash sale is on!" },
    schedule: { startsAt: "2020-01-01T00:00:00Z", endsAt: "2020-01-02T00:00:00Z" },
    audience: { segments: [], countries: [], visitors: "everyone" },
  },
  {
    ...base,
    name: "Champions thank-you",
    priority: 50,
    kind: "message",
    messages: {
      en: 'Thanks for being a champion! <script>window.__persegmentInjected = true</script><b onclick="x()">Early access</b> starts now',
      de: "Danke, dass Sie zu unseren Besten gehören! Früher Zugang ab jetzt",
    },
    colors: { background: "#5b21b6", text: "#ffffff" },
    audience: { segments: ["champions"], countries: [], visitors: "logged-in" },
  },
  {
    ...base,
    name: "We miss you",
    priority: 40,
    kind: "message",
    messages: {
      en: "We miss you! Take 15% off with code COMEBACK",
      de: "Wir vermissen Sie! 15 % Rabatt mit COMEBACK",
    },
    link: "/collections/all",
    colors: { background: "#fef3c7", text: "#78350f" },
    audience: { segments: ["lapsed-90"], countries: [], visitors: "logged-in" },
  },
  {
    ...base,
    name: "Free shipping",
    priority: 20,
    kind: "free-shipping",
    messages: {
      en: "Only {amount} to go for free shipping",
      de: "Nur noch {amount} bis zum kostenlosen Versand",
    },
    reachedMessages: {
      en: "You've unlocked free shipping!",
      de: "Kostenloser Versand ist freigeschaltet!",
    },
    colors: { background: "#065f46", text: "#ffffff" },
    audience: { segments: [], countries: ["US", "DE"], visitors: "everyone" },
    thresholds: [
      { countries: ["US"], currency: "USD", amountCents: 5000 },
      { countries: ["DE"], currency: "EUR", amountCents: 4500 },
    ],
  },
];

const product = (
  n: number,
  title: string,
  priceCents: number,
  available = true,
): PreviewProduct => ({
  id: `gid://shopify/Product/${1000 + n}`,
  handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
  title,
  priceCents,
  available,
  imageUrl: `/images/${1000 + n}.svg`,
});

export const SAMPLE_PRODUCTS: PreviewProduct[] = [
  product(1, "Trail Runner Shoes", 8900),
  product(2, "Merino Running Socks", 1400),
  product(3, "Hydration Vest", 6500, false),
  product(4, "Reflective Cap", 2200),
  product(5, "Blister Kit <Pro>", 1200),
  product(6, "Foam Roller", 3000),
];

/**
 * Past orders of the store (customer, day, product numbers as in SAMPLE_PRODUCTS): runners rebuy
 * socks about every 61 days and blister kits every 45; shoes and caps are bought once. The
 * `returning` persona's customer last bought socks on 1 September and a kit on 1 October, and
 * cancelled a socks order in November.
 */
const SAMPLE_ORDERS: { customer: string; day: string; products: number[]; cancelled?: true }[] = [
  { customer: "runner-a", day: "2026-03-01", products: [2, 1] },
  { customer: "runner-a", day: "2026-05-01", products: [2] },
  { customer: "runner-a", day: "2026-07-01", products: [2] },
  { customer: "runner-b", day: "2026-04-10", products: [2, 5, 1] },
  { customer: "runner-b", day: "2026-05-25", products: [5] },
  { customer: "runner-b", day: "2026-06-08", products: [2] },
  { customer: "runner-b", day: "2026-07-09", products: [5, 4] },
  { customer: "runner-c", day: "2026-06-01", products: [5, 1] },
  { customer: "runner-c", day: "2026-07-16", products: [5] },
  { customer: "returning", day: "2026-05-01", products: [1, 2] },
  { customer: "returning", day: "2026-07-02", products: [2, 5] },
  { customer: "returning", day: "2026-08-16", products: [5] },
  { customer: "returning", day: "2026-09-01", products: [2] },
  { customer: "returning", day: "2026-10-01", products: [5, 4] },
  { customer: "returning", day: "2026-11-10", products: [2], cancelled: true },
];

const productIdOf = (n: number) => SAMPLE_PRODUCTS[n - 1].id;
const orderedAt = (day: string) => new Date(`${day}T12:00:00Z`);

/** The sample's repurchase intervals, computed by the app's own rule from the counted orders. */
function sampleRepurchaseDays(asOf: Date) {
  const counted = SAMPLE_ORDERS.filter((order) => !order.cancelled).map((order) => ({
    customerId: order.customer,
    processedAt: orderedAt(order.day),
    productIds: order.products.map(productIdOf),
  }));
  return Object.fromEntries(
    repurchaseIntervals(counted, asOf, new Set()).map(({ productId, days }) => [productId, days]),
  );
}

function returningCustomerOrders(): PreviewOrder[] {
  return SAMPLE_ORDERS.filter((order) => order.customer === "returning")
    .reverse()
    .map((order) => ({
      createdAt: orderedAt(order.day).toISOString(),
      cancelled: order.cancelled ?? false,
      financialStatus: order.cancelled ? "voided" : "paid",
      lines: order.products.map((n) => ({
        productId: productIdOf(n),
        quantity: 1,
        giftCard: false,
      })),
    }));
}

export function sampleStorefront(now = new Date()): PublishedStorefront {
  // Saved one after another, as a merchant would: each holdout is placed beside the earlier ones.
  const stored: StoredBar[] = [];
  SAMPLE_BARS.forEach((definition, index) => {
    const valid = validateBar(definition, SEGMENTS);
    const result = valid.ok ? withPlacedHoldout(valid.value, null, stored, now) : valid;
    if (!result.ok)
      throw new Error(`sample bar ${definition.name}: ${JSON.stringify(result.errors)}`);
    stored.push({
      id: `bar${index + 1}`,
      name: result.value.name,
      enabled: result.value.enabled,
      priority: result.value.priority,
      config: barConfig(result.value),
      createdAt: new Date(Date.UTC(2026, 0, 1 + index)),
    });
  });
  const [shoes, socks, vest, cap, kit, roller] = SAMPLE_PRODUCTS.map((entry) => entry.id);
  return {
    shopName: "Trailhead Outfitters",
    bars: publishedBars(stored, "seg-", now),
    upsells: {
      [shoes]: [socks, vest, kit, cap, roller],
      [socks]: [shoes, kit],
      [kit]: [socks, cap],
    },
    repurchaseDays: sampleRepurchaseDays(now),
    returningCustomerOrders: returningCustomerOrders(),
    products: SAMPLE_PRODUCTS,
  };
}

import {
  type Address,
  type CustomerRecord,
  type LineItemRecord,
  type MarketingState,
  type OrderRecord,
  type ProductRecord,
} from "./model";
import { generateEmailHistory } from "./email";
import { Random } from "./prng";
import { Store, type ShopInfo } from "./store";

export interface GenerateOptions {
  customers: number;
  seed?: number;
  /** The generated history ends here; defaults to the start of today (UTC), so a seed is stable for a day. */
  now?: Date;
  /** Average orders per customer including customers without orders (default 4). */
  ordersPerCustomer?: number;
  /** Days of order history (default 730). */
  historyDays?: number;
  /**
   * Products in the catalogue (default: one per 100 customers, 24 to 1,500). Real shops often sell
   * far more products per order than that (a wholesale gift shop: 3.7k products, 18.5k orders),
   * where every product has only a few orders to learn from.
   */
  products?: number;
  /**
   * Share of lines that bring one of their product's two companions along (a matching item of
   * any type, the way sets and accessories sell together); default 0: none.
   */
  companionShare?: number;
  shop?: Partial<ShopInfo>;
  /** Whether the shop sends Shopify Email (default true): campaigns and their events. */
  shopifyEmail?: boolean;
}

const DAY = 86_400_000;

const CATALOG: Record<string, { nouns: string[]; price: number; options: string[] }> = {
  "T-Shirts": {
    nouns: ["Tee", "Crew Tee", "Pocket Tee", "Long Sleeve Tee"],
    price: 28,
    options: ["S", "M", "L", "XL"],
  },
  Hoodies: {
    nouns: ["Hoodie", "Zip Hoodie", "Pullover"],
    price: 68,
    options: ["S", "M", "L", "XL"],
  },
  Sneakers: {
    nouns: ["Runner", "Court Sneaker", "Trail Shoe", "Slip-On"],
    price: 110,
    options: ["8", "9", "10", "11"],
  },
  Accessories: { nouns: ["Belt", "Wallet", "Sunglasses", "Watch Strap"], price: 35, options: [] },
  Bags: {
    nouns: ["Tote", "Backpack", "Duffel", "Crossbody Bag"],
    price: 85,
    options: ["Black", "Olive"],
  },
  Socks: {
    nouns: ["Crew Socks", "Ankle Socks", "Wool Socks"],
    price: 14,
    options: ["S/M", "L/XL"],
  },
  Hats: { nouns: ["Cap", "Beanie", "Bucket Hat"], price: 30, options: [] },
  Jackets: {
    nouns: ["Rain Jacket", "Puffer", "Denim Jacket", "Windbreaker"],
    price: 160,
    options: ["S", "M", "L"],
  },
  Home: { nouns: ["Candle", "Mug", "Throw Blanket", "Poster"], price: 32, options: [] },
};
const ADJECTIVES = [
  "Classic",
  "Everyday",
  "Organic",
  "Heavyweight",
  "Coastal",
  "Alpine",
  "Urban",
  "Vintage",
  "Essential",
  "Merino",
  "Recycled",
  "Signature",
];
const COLOURS = ["Black", "Sand", "Navy", "Forest", "Rust", "Stone", "Sky", "Charcoal", "Cream"];
const VENDORS = [
  "Northwind Apparel",
  "Blue Ridge Co.",
  "Kestrel",
  "Alder & Pine",
  "Harbor Goods",
  "Lumen Studio",
  "Cedar Works",
];
const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Ava",
  "Elijah",
  "Sophia",
  "James",
  "Mia",
  "Lucas",
  "Amelia",
  "Mateo",
  "Harper",
  "Levi",
  "Evelyn",
  "Hiro",
  "Yuki",
  "Chloé",
  "Louis",
  "Hannah",
  "Jonas",
  "Lena",
  "Aisha",
  "Omar",
  "Priya",
  "Arjun",
  "Mei",
  "Wei",
  "Sofia",
  "Diego",
  "Isla",
  "Jack",
  "Freya",
  "Oscar",
  "Zoe",
  "Finn",
  "Nora",
  "Leo",
  "Ruby",
  "Kai",
];
const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Garcia",
  "Miller",
  "Davis",
  "Martinez",
  "Lopez",
  "Wilson",
  "Anderson",
  "Taylor",
  "Thomas",
  "Moore",
  "Martin",
  "Lee",
  "Tanaka",
  "Sato",
  "Müller",
  "Schmidt",
  "Dubois",
  "Bernard",
  "Rossi",
  "Jensen",
  "Nguyen",
  "Kim",
  "Patel",
  "Singh",
  "O'Brien",
  "Murphy",
  "Walker",
  "Young",
  "King",
  "Wright",
  "Scott",
  "Green",
  "Baker",
  "Hill",
  "Campbell",
  "Reed",
];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org"];

/** Countries (weight) with province codes and cities, so geography segments have real spread. */
const GEOGRAPHY: [string, number, [string | null, string[]][]][] = [
  [
    "US",
    45,
    [
      ["CA", ["Los Angeles", "San Francisco", "San Diego"]],
      ["NY", ["New York", "Buffalo"]],
      ["TX", ["Austin", "Houston", "Dallas"]],
      ["WA", ["Seattle", "Spokane"]],
      ["IL", ["Chicago"]],
      ["FL", ["Miami", "Orlando"]],
      ["MA", ["Boston"]],
      ["CO", ["Denver"]],
      ["OR", ["Portland"]],
      ["GA", ["Atlanta"]],
    ],
  ],
  [
    "CA",
    12,
    [
      ["ON", ["Toronto", "Ottawa"]],
      ["QC", ["Montreal", "Quebec City"]],
      ["BC", ["Vancouver", "Victoria"]],
      ["AB", ["Calgary", "Edmonton"]],
    ],
  ],
  ["GB", 10, [[null, ["London", "Manchester", "Bristol", "Edinburgh", "Leeds"]]]],
  ["DE", 8, [[null, ["Berlin", "Munich", "Hamburg", "Cologne"]]]],
  [
    "AU",
    8,
    [
      ["NSW", ["Sydney", "Newcastle"]],
      ["VIC", ["Melbourne"]],
      ["QLD", ["Brisbane"]],
    ],
  ],
  ["FR", 5, [[null, ["Paris", "Lyon", "Marseille"]]]],
  ["NL", 4, [[null, ["Amsterdam", "Rotterdam", "Utrecht"]]]],
  [
    "JP",
    3,
    [
      ["JP-13", ["Tokyo"]],
      ["JP-27", ["Osaka"]],
    ],
  ],
  [
    "ES",
    2,
    [
      ["M", ["Madrid"]],
      ["B", ["Barcelona"]],
    ],
  ],
  ["IE", 2, [["D", ["Dublin"]]]],
  ["NZ", 1, [["AUK", ["Auckland"]]]],
];
const COUNTRY_WEIGHTS = GEOGRAPHY.map(([code, weight]) => [code, weight] as const);

/** Merchant tags; `seg-vip` looks like the app's but the app never wrote it. */
const MERCHANT_TAGS: [string, number][] = [
  ["newsletter", 30],
  ["wholesale", 8],
  ["vip-manual", 6],
  ["seg-vip", 5],
  ["influencer", 3],
  ["retail", 12],
  ["staff", 1],
  ["pos-signup", 6],
  ["Black Friday 2025", 4],
];
const MARKETING: [MarketingState, number][] = [
  ["SUBSCRIBED", 38],
  ["NOT_SUBSCRIBED", 50],
  ["UNSUBSCRIBED", 10],
  ["PENDING", 2],
];
const SOURCES: [string, number][] = [
  ["web", 82],
  ["pos", 8],
  ["iphone", 4],
  ["android", 3],
  ["shopify_draft_order", 3],
];
const CANCEL_REASONS: [string, number][] = [
  ["customer", 60],
  ["inventory", 15],
  ["fraud", 10],
  ["declined", 10],
  ["other", 5],
];
/** Relative order volume by month (Jan..Dec): quiet January, summer bump, holiday peak. */
const MONTH_WEIGHT = [0.75, 0.8, 0.9, 0.95, 1, 1.1, 1.15, 1.1, 0.95, 1, 1.6, 1.8];
const WEEKDAY_WEIGHT = [1.15, 0.95, 0.9, 0.9, 0.95, 1.05, 1.2]; // Sunday..Saturday

/** Shopify timestamps have whole seconds; so do generated ones (seed files round-trip exactly). */
const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;

function startOfUtcDay(date: Date) {
  return Math.floor(date.getTime() / DAY) * DAY;
}

function address(random: Random): Address {
  const country = random.weighted(COUNTRY_WEIGHTS);
  const regions = GEOGRAPHY.find(([code]) => code === country)![2];
  const [provinceCode, cities] = random.pick(regions);
  return { countryCode: country, provinceCode, city: random.pick(cities) };
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

function price(random: Random, base: number) {
  const dollars = Math.max(4, Math.round(base * Math.exp(0.35 * random.normal())));
  return dollars * 100 - (random.chance(0.7) ? 1 : 0);
}

function generateProducts(random: Random, count: number, store: Store, startMs: number) {
  const types = Object.keys(CATALOG);
  const handles = new Set<string>();
  for (let index = 0; index < count; index++) {
    const productType = types[index % types.length];
    const spec = CATALOG[productType];
    const noun = random.pick(spec.nouns);
    const baseTitle = `${random.pick(ADJECTIVES)} ${random.pick(COLOURS)} ${noun}`;
    let title = baseTitle;
    let handle = slug(title);
    for (let suffix = 2; handles.has(handle); suffix++) {
      title = `${baseTitle} ${suffix}`;
      handle = slug(title);
    }
    handles.add(handle);
    const id = store.newId("Product");
    const basePrice = price(random, spec.price);
    const options = spec.options.length ? spec.options : ["Default Title"];
    const createdAt = startMs + random.int(0, 60) * DAY;
    const status: ProductRecord["status"] =
      index % 40 === 39 ? "ARCHIVED" : index % 25 === 24 ? "DRAFT" : "ACTIVE";
    const product: ProductRecord = {
      id,
      title,
      handle,
      productType,
      vendor: random.pick(VENDORS),
      tags: random.chance(0.3) ? [random.pick(["new", "bestseller", "sale", "gift"])] : [],
      status,
      createdAt,
      updatedAt: createdAt + random.int(0, 30) * DAY,
      variants: options.map((option) => ({
        id: store.newId("ProductVariant"),
        productId: id,
        title: option,
        sku: `${productType.slice(0, 3).toUpperCase()}-${String(index + 1).padStart(4, "0")}-${option.replace(/[^A-Za-z0-9]/g, "")}`,
        priceCents: basePrice,
      })),
      collectionIds: [],
    };
    store.insertProduct(product);
  }
}

const COLLECTIONS = [
  "New Arrivals",
  "Best Sellers",
  "Summer Edit",
  "Winter Warmers",
  "Gifts Under $50",
  "Staff Picks",
  "Sale",
  "Essentials",
];

/**
 * Custom collections and their products. Drawn from a PRNG of their own, so adding collections
 * left every other generated value (customers, orders) as it was for a given seed.
 */
function generateCollections(seed: number, store: Store, createdAt: number) {
  const random = new Random(seed ^ 0x5c011ec7);
  const collections = COLLECTIONS.map((title) => {
    const collection = {
      id: store.newId("Collection"),
      title,
      handle: slug(title),
      createdAt,
      updatedAt: createdAt,
    };
    store.insertCollection(collection);
    return collection;
  });
  // Most products are in one or two collections, some in none, a few in many.
  for (const product of store.products.values())
    for (const collection of collections)
      if (random.chance(0.18)) product.collectionIds.push(collection.id);
}

function seasonalTime(random: Random, from: number, to: number) {
  if (to <= from) return from;
  for (let attempt = 0; attempt < 20; attempt++) {
    const at = from + random.next() * (to - from);
    const date = new Date(at);
    const weight = MONTH_WEIGHT[date.getUTCMonth()] * WEEKDAY_WEIGHT[date.getUTCDay()];
    if (random.next() * 2.2 < weight) return Math.floor(at);
  }
  return Math.floor(from + random.next() * (to - from));
}

function discountFor(random: Random, at: number, isFirst: boolean, seeker: boolean) {
  const date = new Date(at);
  const month = date.getUTCMonth();
  const usesCode = random.chance(seeker ? 0.7 : isFirst ? 0.2 : 0.07);
  if (!usesCode) return null;
  if (month === 10 && date.getUTCDate() >= 20) return { code: "BFCM25", percent: 25 };
  if (isFirst) return { code: "WELCOME10", percent: 10 };
  if (month >= 5 && month <= 7) return { code: "SUMMER20", percent: 20 };
  return random.chance(0.3) ? { code: "FREESHIP", percent: 0 } : { code: "THANKS15", percent: 15 };
}

interface Draft {
  customerId: number | null;
  processedAt: number;
  appetite: number;
  favouriteType: string | null;
  isFirst: boolean;
  seeker: boolean;
  address: Address | null;
}

/**
 * A realistic, deterministic store: the same options give the same data, byte for byte.
 * Sized for 100k customers / 400k orders / ~1M line items in a few seconds and a few hundred MB.
 */
export function generateStore(options: GenerateOptions): Store {
  const { customers: customerCount, seed = 1 } = options;
  if (!Number.isInteger(customerCount) || customerCount < 0)
    throw new Error(`customers must be a non-negative integer, got ${customerCount}`);
  const random = new Random(seed);
  const nowMs = startOfUtcDay(options.now ?? new Date());
  const historyDays = options.historyDays ?? 730;
  const startMs = nowMs - historyDays * DAY;
  const ordersPerCustomer = options.ordersPerCustomer ?? 4;
  const store = new Store({
    name: "Stand-in Outfitters",
    domain: "stand-in.myshopify.com",
    currencyCode: "USD",
    ianaTimezone: "UTC",
    plusPlan: false,
    ...options.shop,
  });

  generateProducts(
    random,
    options.products ?? Math.min(1500, Math.max(24, Math.round(customerCount / 100))),
    store,
    startMs - 90 * DAY,
  );
  generateCollections(seed, store, startMs - 90 * DAY);
  const activeProducts = [...store.products.values()].filter((p) => p.status !== "DRAFT");
  const byType = new Map<string, ProductRecord[]>();
  for (const product of activeProducts) {
    const list = byType.get(product.productType) ?? [];
    list.push(product);
    byType.set(product.productType, list);
  }
  const types = [...byType.keys()];
  // Companions come from a PRNG of their own and are only drawn when asked for, so every other
  // generated value stays as it was for a given seed.
  const companionShare = options.companionShare ?? 0;
  const companionRandom = new Random(seed ^ 0xc0a1e5ce);
  const companions = new Map(
    companionShare > 0
      ? activeProducts.map((product) => [
          product.id,
          [companionRandom.pick(activeProducts), companionRandom.pick(activeProducts)].filter(
            (companion) => companion.id !== product.id,
          ),
        ])
      : [],
  );

  // Customers: sign-ups skew recent (a growing shop); ids follow sign-up order, as in Shopify.
  const signups = Array.from({ length: customerCount }, () =>
    wholeSeconds(startMs + Math.pow(random.next(), 0.8) * (nowMs - startMs)),
  );
  signups.sort((a, b) => a - b);
  const buyerShare = 0.85;
  const sigma = 1.1;
  const mu = Math.log(Math.max(0.2, ordersPerCustomer / buyerShare - 0.5)) - (sigma * sigma) / 2;
  const drafts: Draft[] = [];
  for (const createdAt of signups) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const id = store.newId("Customer");
    const tags: string[] = [];
    if (random.chance(0.25)) {
      tags.push(random.weighted(MERCHANT_TAGS));
      if (random.chance(0.3)) tags.push(random.weighted(MERCHANT_TAGS));
    }
    const customer: CustomerRecord = {
      id,
      firstName: first,
      lastName: last,
      email: `${first}.${last}.${id % 100000}@${random.pick(EMAIL_DOMAINS)}`
        .toLowerCase()
        .normalize("NFD")
        .replace(/[^a-z0-9.@]/g, ""),
      createdAt,
      updatedAt: createdAt,
      tags: [...new Set(tags)],
      address: random.chance(0.97) ? address(random) : null,
      marketingState: random.weighted(MARKETING),
    };
    store.insertCustomer(customer);
    if (!random.chance(buyerShare)) continue;
    const orderCount = Math.min(250, 1 + Math.floor(Math.exp(mu + sigma * random.normal())));
    // Some customers lapse: their buying stops part-way through their lifetime.
    const activeUntil = random.chance(0.4)
      ? createdAt + Math.floor((nowMs - createdAt) * Math.sqrt(random.next()))
      : nowMs;
    const appetite = Math.exp(0.45 * random.normal());
    const favouriteType = random.chance(0.6) ? random.pick(types) : null;
    const seeker = random.chance(0.12);
    for (let n = 0; n < orderCount; n++) {
      const processedAt =
        n === 0
          ? createdAt + random.int(0, 3600_000)
          : seasonalTime(random, createdAt, activeUntil);
      drafts.push({
        customerId: id,
        processedAt: wholeSeconds(Math.min(processedAt, nowMs - 1000)),
        appetite,
        favouriteType,
        isFirst: n === 0,
        seeker,
        address: customer.address,
      });
    }
  }
  const guestOrders = Math.round(drafts.length * 0.05);
  for (let n = 0; n < guestOrders; n++)
    drafts.push({
      customerId: null,
      processedAt: wholeSeconds(seasonalTime(random, startMs, nowMs - 1000)),
      appetite: 1,
      favouriteType: null,
      isFirst: false,
      seeker: false,
      address: address(random),
    });

  // Orders get ids and numbers in processing order, as Shopify assigns them.
  drafts.sort((a, b) => a.processedAt - b.processedAt);
  let number = 1000;
  for (const draft of drafts) {
    const lineCount = Math.min(
      10,
      1 + Math.floor(-Math.log(1 - random.next()) * 2 * draft.appetite),
    );
    const lineItems: LineItemRecord[] = [];
    let subtotalCents = 0;
    const addLine = (product: ProductRecord, variant: ProductRecord["variants"][number]) => {
      const quantity = random.chance(0.85) ? 1 : random.int(2, 4);
      lineItems.push({
        id: store.newId("LineItem"),
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        quantity,
        unitPriceCents: variant.priceCents,
      });
      subtotalCents += quantity * variant.priceCents;
    };
    for (let line = 0; line < lineCount; line++) {
      const pool =
        draft.favouriteType && random.chance(0.5)
          ? byType.get(draft.favouriteType)!
          : activeProducts;
      // Popularity is head-heavy: a few bestsellers, a long tail.
      const product = pool[Math.floor(Math.pow(random.next(), 2.2) * pool.length)];
      const variant = random.pick(product.variants);
      if (lineItems.some((item) => item.variantId === variant.id)) continue;
      addLine(product, variant);
      const companion =
        companionShare > 0 && companionRandom.chance(companionShare)
          ? companionRandom.pick(companions.get(product.id) ?? [])
          : undefined;
      if (companion && !lineItems.some((item) => item.productId === companion.id))
        addLine(companion, companionRandom.pick(companion.variants));
    }
    const discount = discountFor(random, draft.processedAt, draft.isFirst, draft.seeker);
    const discountCents = discount ? Math.round((subtotalCents * discount.percent) / 100) : 0;
    const shippingCents = discount?.code === "FREESHIP" || subtotalCents >= 7500 ? 0 : 599;
    const cancelled = random.chance(0.03);
    const cancelledAt = cancelled ? draft.processedAt + random.int(1, 48) * 3600_000 : null;
    const order: OrderRecord = {
      id: store.newId("Order"),
      number: ++number,
      customerId: draft.customerId,
      createdAt: draft.processedAt,
      processedAt: draft.processedAt,
      updatedAt: Math.min(
        nowMs,
        Math.max(cancelledAt ?? 0, draft.processedAt + random.int(60, 3 * 86_400) * 1000),
      ),
      cancelledAt: cancelledAt === null ? null : Math.min(cancelledAt, nowMs),
      cancelReason: cancelled ? random.weighted(CANCEL_REASONS) : null,
      test: random.chance(0.003),
      subtotalCents,
      discountCents,
      shippingCents,
      totalCents: subtotalCents - discountCents + shippingCents,
      discountCodes: discount ? [discount.code] : [],
      sourceName: random.weighted(SOURCES),
      shippingAddress: draft.address,
      tags: random.chance(0.04) ? [random.pick(["gift", "wholesale", "priority"])] : [],
      lineItems,
    };
    store.insertOrder(order);
    if (draft.customerId !== null) {
      const customer = store.customers.get(draft.customerId)!;
      if (order.updatedAt > customer.updatedAt) customer.updatedAt = order.updatedAt;
    }
  }
  if (options.shopifyEmail ?? true) generateEmailHistory(store, { seed, nowMs });
  return store;
}

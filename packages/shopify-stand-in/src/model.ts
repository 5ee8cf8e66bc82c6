// The stand-in's in-memory records. Ids are Shopify's numeric ids (GIDs are built on output),
// times are epoch milliseconds and money is integer cents, so 100k customers / 400k orders fit
// comfortably in memory.

export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";

export interface Address {
  countryCode: string;
  provinceCode: string | null;
  city: string;
}

export interface CustomerRecord {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  createdAt: number;
  updatedAt: number;
  tags: string[];
  address: Address | null;
  marketingState: MarketingState;
}

export interface VariantRecord {
  id: number;
  productId: number;
  title: string;
  sku: string;
  priceCents: number;
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  tags: string[];
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  createdAt: number;
  updatedAt: number;
  variants: VariantRecord[];
  /** The (custom) collections the product is in, by id, in the order it was added to them. */
  collectionIds: number[];
  /** A gift card product (its lines are gift card purchases); the generator makes none. */
  giftCard?: boolean;
}

/** A custom (manual) collection; which products it holds is kept on each product. */
export interface CollectionRecord {
  id: number;
  title: string;
  handle: string;
  createdAt: number;
  updatedAt: number;
}

export interface LineItemRecord {
  id: number;
  productId: number | null;
  variantId: number | null;
  title: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderRecord {
  id: number;
  number: number;
  customerId: number | null;
  createdAt: number;
  processedAt: number;
  updatedAt: number;
  cancelledAt: number | null;
  cancelReason: string | null;
  test: boolean;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  totalCents: number;
  discountCodes: string[];
  sourceName: string;
  shippingAddress: Address | null;
  tags: string[];
  lineItems: LineItemRecord[];
}

export interface MetafieldRecord {
  id: number;
  ownerGid: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

export interface SegmentRecord {
  id: number;
  name: string;
  query: string;
  createdAt: number;
  updatedAt: number;
}

export const GID_PREFIX = "gid://shopify/";

export function gid(type: string, id: number | string): string {
  return `${GID_PREFIX}${type}/${id}`;
}

/** Splits a GID into its type and numeric id; null when it is not a Shopify GID. */
export function parseGid(value: string): { type: string; id: number } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { type: match[1], id } : null;
}

/** Cents as Shopify's decimal string ("12.5" style, as the Admin API prints Decimal). */
export function decimal(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const rest = abs % 100;
  if (rest === 0) return `${sign}${units}.0`;
  return `${sign}${units}.${String(rest).padStart(2, "0").replace(/0$/, "")}`;
}

/** Cents as a REST-style two-decimal string ("12.50"). */
export function restMoney(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Parses a decimal amount ("12.34", "12", 12.3) into integer cents without float error. */
export function parseCents(value: unknown): number {
  const text = String(value ?? "").trim();
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`Not a money amount: ${JSON.stringify(value)}`);
  const fraction = (match[3] ?? "").padEnd(2, "0");
  if (/[1-9]/.test(fraction.slice(2)))
    throw new Error(`Money amount has more than 2 decimals: ${text}`);
  const cents = Number(match[2]) * 100 + Number(fraction.slice(0, 2));
  return match[1] ? -cents : cents;
}

/** Shopify's DateTime format: ISO 8601 in UTC, whole seconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}

export function parseTime(value: unknown, what: string): number {
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) throw new Error(`${what} is not a date: ${JSON.stringify(value)}`);
  return ms;
}

export const COUNTRY_NAMES: Record<string, string> = {
  US: "United States",
  CA: "Canada",
  GB: "United Kingdom",
  DE: "Germany",
  FR: "France",
  AU: "Australia",
  NL: "Netherlands",
  JP: "Japan",
  ES: "Spain",
  IT: "Italy",
  SE: "Sweden",
  BR: "Brazil",
  MX: "Mexico",
  IE: "Ireland",
  NZ: "New Zealand",
};

export function countryName(code: string) {
  return COUNTRY_NAMES[code] ?? code;
}

// Maps what Shopify sends (bulk JSONL / GraphQL nodes, REST webhook payloads) onto the rows the
// app stores. Plain functions of plain data; a bad record throws a RecordError naming the field.
// Data minimisation: names, emails, phones and street addresses are never read.

export class RecordError extends Error {}

export interface CustomerRow {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  tags: string;
  countryCode: string | null;
  provinceCode: string | null;
  city: string | null;
  emailMarketingState: string | null;
  /** undefined: the source does not carry it (webhooks), keep what is stored. */
  shopifyRfmGroup?: string | null;
  numberOfOrders: number;
  amountSpentCents: bigint;
}

export interface ProductRow {
  id: string;
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  tags: string;
  status: string;
  updatedAt: Date | null;
  /** Comma-joined collection GIDs; undefined when the source does not carry them (webhooks). */
  collections?: string;
}

export interface OrderRow {
  id: string;
  name: string;
  customerId: string | null;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  totalCents: bigint;
  discountCents: bigint;
  currencyCode: string;
  discountCodes: string;
  sourceName: string | null;
  shippingCountry: string | null;
}

export interface LineItemRow {
  id: string;
  orderId: string;
  productId: string | null;
  variantId: string | null;
  quantity: number;
  unitPriceCents: bigint;
  giftCard: boolean;
}

type Json = Record<string, unknown>;

const GID = /^gid:\/\/shopify\/[A-Za-z]+\/\d+$/;

/** Decimal money ("12.5", "12.50", "-3", 7.1) as integer cents, exactly (no float arithmetic). */
export function moneyToCents(value: unknown, field = "amount"): bigint {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value : "";
  const match = /^\s*(-)?(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!match) throw new RecordError(`${field} is not a money amount: ${JSON.stringify(value)}`);
  const fraction = (match[3] ?? "").padEnd(2, "0");
  if (/[1-9]/.test(fraction.slice(2)))
    throw new RecordError(`${field} has more than 2 decimals: ${text}`);
  const cents = BigInt(match[2]) * 100n + BigInt(fraction.slice(0, 2));
  return match[1] ? -cents : cents;
}

function date(value: unknown, field: string): Date {
  const parsed = typeof value === "string" ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime()))
    throw new RecordError(`${field} is not a date: ${JSON.stringify(value)}`);
  return parsed;
}

function optionalDate(value: unknown, field: string): Date | null {
  return value === null || value === undefined ? null : date(value, field);
}

function gid(value: unknown, field: string): string {
  if (typeof value !== "string" || !GID.test(value))
    throw new RecordError(`${field} is not a Shopify GID: ${JSON.stringify(value)}`);
  return value;
}

function optionalGid(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : gid(value, field);
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string") throw new RecordError(`${field} is missing`);
  return value;
}

function optionalText(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** Tags as stored: trimmed, de-duplicated (case-insensitively), joined with ", ". */
export function joinTags(tags: unknown): string {
  const list = Array.isArray(tags) ? tags : typeof tags === "string" ? tags.split(",") : [];
  const seen = new Map<string, string>();
  for (const raw of list) {
    const tag = String(raw).trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()].join(", ");
}

export function splitStoredTags(tags: string): string[] {
  return tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** A REST payload's resource GID: admin_graphql_api_id, else built from the numeric id. */
export function restGid(payload: Json, type: string): string {
  if (typeof payload.admin_graphql_api_id === "string")
    return gid(payload.admin_graphql_api_id, "admin_graphql_api_id");
  const id = payload.id;
  if (
    (typeof id === "number" && Number.isInteger(id)) ||
    (typeof id === "string" && /^\d+$/.test(id))
  )
    return `gid://shopify/${type}/${id}`;
  throw new RecordError(`payload has no ${type} id`);
}

function restIdGid(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" && GID.test(value)) return value;
  // A number beyond 2^53 was already rounded by JSON parsing: refuse it rather than store a wrong id.
  if (typeof value === "number" && !Number.isSafeInteger(value))
    throw new RecordError(`${type} id ${value} is beyond exact JSON number precision`);
  if ((typeof value === "number" && Number.isInteger(value)) || /^\d+$/.test(String(value)))
    return `gid://shopify/${type}/${value}`;
  throw new RecordError(`not a ${type} id: ${JSON.stringify(value)}`);
}

const RFM_GROUPS = new Set([
  "CHAMPIONS",
  "LOYAL",
  "ACTIVE",
  "NEW",
  "PROMISING",
  "NEEDS_ATTENTION",
  "ALMOST_LOST",
  "PREVIOUSLY_LOYAL",
  "AT_RISK",
  "DORMANT",
  "PROSPECTS",
]);

/** Shopify's CustomerRfmGroup enum as the app's kebab-case handle ("NEEDS_ATTENTION" → "needs-attention"). */
export function rfmHandle(value: unknown): string | null {
  if (typeof value !== "string" || !RFM_GROUPS.has(value)) return null;
  return value.toLowerCase().replace(/_/g, "-");
}

// ---- GraphQL / bulk shape -------------------------------------------------------------

export function customerFromNode(node: Json): CustomerRow {
  const address = node.defaultAddress as Json | null | undefined;
  const consent = node.emailMarketingConsent as Json | null | undefined;
  const statistics = node.statistics as Json | null | undefined;
  const spent = node.amountSpent as Json | null | undefined;
  return {
    id: gid(node.id, "Customer.id"),
    createdAt: date(node.createdAt, "Customer.createdAt"),
    updatedAt: date(node.updatedAt, "Customer.updatedAt"),
    tags: joinTags(node.tags),
    countryCode: optionalText(address?.countryCodeV2),
    provinceCode: optionalText(address?.provinceCode),
    city: optionalText(address?.city),
    emailMarketingState: optionalText(consent?.marketingState),
    shopifyRfmGroup: statistics === undefined ? undefined : rfmHandle(statistics?.rfmGroup),
    numberOfOrders: Number(node.numberOfOrders ?? 0),
    amountSpentCents: spent ? moneyToCents(spent.amount, "Customer.amountSpent") : 0n,
  };
}

const numericId = (id: string) => BigInt(id.slice(id.lastIndexOf("/") + 1));

/**
 * Collection GIDs as stored in Product.collections: de-duplicated, in id order (so a bulk export
 * and a paged read of the same product store the same text), comma-joined.
 */
export function joinCollections(ids: Iterable<string>): string {
  return [...new Set(ids)]
    .sort((a, b) => (numericId(a) < numericId(b) ? -1 : numericId(a) > numericId(b) ? 1 : 0))
    .join(",");
}

/** A nested `collections { nodes { id } }` page of a product node: the GIDs, checked. */
export function collectionIdsFromPage(page: unknown): string[] {
  const nodes = (page as Json | null | undefined)?.nodes;
  if (!Array.isArray(nodes)) throw new RecordError("Product.collections.nodes is missing");
  return nodes.map((node) => gid((node as Json | null)?.id, "Collection.id"));
}

/**
 * A product node. `collections` is set only when the node carries its collections connection
 * (paged queries); bulk exports send them as separate lines, joined by the importer.
 */
export function productFromNode(node: Json): ProductRow {
  return {
    id: gid(node.id, "Product.id"),
    title: text(node.title, "Product.title"),
    handle: text(node.handle, "Product.handle"),
    productType: optionalText(node.productType) ?? "",
    vendor: optionalText(node.vendor) ?? "",
    tags: joinTags(node.tags),
    status: optionalText(node.status) ?? "ACTIVE",
    updatedAt: optionalDate(node.updatedAt, "Product.updatedAt"),
    ...(node.collections === undefined
      ? {}
      : { collections: joinCollections(collectionIdsFromPage(node.collections)) }),
  };
}

/** A `Collection` line of a products bulk export: the product (`__parentId`) and collection. */
export function productCollectionFromLine(line: Json) {
  return {
    productId: gid(line.__parentId, "Collection.__parentId"),
    collectionId: gid(line.id, "Collection.id"),
  };
}

function shopMoney(set: unknown): Json | null {
  return ((set as Json | null | undefined)?.shopMoney as Json | undefined) ?? null;
}

export function orderFromNode(node: Json): OrderRow {
  const total = shopMoney(node.currentTotalPriceSet);
  if (!total) throw new RecordError("Order.currentTotalPriceSet is missing");
  const discount = shopMoney(node.totalDiscountsSet);
  const customer = node.customer as Json | null | undefined;
  const shipping = node.shippingAddress as Json | null | undefined;
  return {
    id: gid(node.id, "Order.id"),
    name: text(node.name, "Order.name"),
    customerId: optionalGid(customer?.id, "Order.customer.id"),
    createdAt: date(node.createdAt, "Order.createdAt"),
    processedAt: date(node.processedAt, "Order.processedAt"),
    updatedAt: date(node.updatedAt, "Order.updatedAt"),
    cancelledAt: optionalDate(node.cancelledAt, "Order.cancelledAt"),
    test: node.test === true,
    totalCents: moneyToCents(total.amount, "Order.currentTotalPriceSet"),
    discountCents: discount ? moneyToCents(discount.amount, "Order.totalDiscountsSet") : 0n,
    currencyCode: optionalText(total.currencyCode) ?? "USD",
    discountCodes: Array.isArray(node.discountCodes) ? node.discountCodes.join(",") : "",
    sourceName: optionalText(node.sourceName),
    shippingCountry: optionalText(shipping?.countryCodeV2),
  };
}

export function lineItemFromNode(node: Json, orderId: string): LineItemRow {
  const price = shopMoney(node.originalUnitPriceSet);
  return {
    id: gid(node.id, "LineItem.id"),
    orderId: gid(orderId, "LineItem.__parentId"),
    productId: optionalGid((node.product as Json | null)?.id, "LineItem.product.id"),
    variantId: optionalGid((node.variant as Json | null)?.id, "LineItem.variant.id"),
    quantity: Number(node.quantity ?? 0),
    unitPriceCents: price ? moneyToCents(price.amount, "LineItem.originalUnitPriceSet") : 0n,
    giftCard: node.isGiftCard === true,
  };
}

// ---- REST webhook shape -----------------------------------------------------------------

const REST_MARKETING: Record<string, string> = {
  subscribed: "SUBSCRIBED",
  not_subscribed: "NOT_SUBSCRIBED",
  unsubscribed: "UNSUBSCRIBED",
  pending: "PENDING",
  redacted: "REDACTED",
  invalid: "INVALID",
};

export function customerFromRest(payload: Json): CustomerRow {
  const address = payload.default_address as Json | null | undefined;
  const consent = payload.email_marketing_consent as Json | null | undefined;
  const state = typeof consent?.state === "string" ? consent.state : null;
  return {
    id: restGid(payload, "Customer"),
    createdAt: date(payload.created_at, "customer.created_at"),
    updatedAt: date(payload.updated_at, "customer.updated_at"),
    tags: joinTags(payload.tags),
    countryCode: optionalText(address?.country_code),
    provinceCode: optionalText(address?.province_code),
    city: optionalText(address?.city),
    emailMarketingState: state ? (REST_MARKETING[state] ?? state.toUpperCase()) : null,
    numberOfOrders: Number(payload.orders_count ?? 0),
    amountSpentCents:
      payload.total_spent === undefined || payload.total_spent === null
        ? 0n
        : moneyToCents(payload.total_spent, "customer.total_spent"),
  };
}

export function orderFromRest(payload: Json): { order: OrderRow; lineItems: LineItemRow[] } {
  const id = restGid(payload, "Order");
  const total = (payload.current_total_price_set as Json | undefined)?.shop_money as
    Json | undefined;
  const totalAmount = total?.amount ?? payload.current_total_price ?? payload.total_price;
  const discountSet = (payload.current_total_discounts_set ?? payload.total_discounts_set) as
    Json | undefined;
  const discountAmount =
    (discountSet?.shop_money as Json | undefined)?.amount ??
    payload.current_total_discounts ??
    payload.total_discounts ??
    "0";
  const customer = payload.customer as Json | null | undefined;
  const shipping = payload.shipping_address as Json | null | undefined;
  const codes = Array.isArray(payload.discount_codes)
    ? payload.discount_codes.map((code) => String((code as Json).code))
    : [];
  const order: OrderRow = {
    id,
    name: text(payload.name, "order.name"),
    customerId: customer ? restGid(customer, "Customer") : null,
    createdAt: date(payload.created_at, "order.created_at"),
    processedAt: date(payload.processed_at ?? payload.created_at, "order.processed_at"),
    updatedAt: date(payload.updated_at, "order.updated_at"),
    cancelledAt: optionalDate(payload.cancelled_at, "order.cancelled_at"),
    test: payload.test === true,
    totalCents: moneyToCents(totalAmount, "order.current_total_price"),
    discountCents: moneyToCents(discountAmount, "order.current_total_discounts"),
    currencyCode: optionalText(total?.currency_code) ?? optionalText(payload.currency) ?? "USD",
    discountCodes: codes.join(","),
    sourceName: optionalText(payload.source_name),
    shippingCountry: optionalText(shipping?.country_code),
  };
  const lines = Array.isArray(payload.line_items) ? (payload.line_items as Json[]) : [];
  const lineItems = lines.map((line) => ({
    id: restGid(line, "LineItem"),
    orderId: id,
    productId: restIdGid(line.product_id, "Product"),
    variantId: restIdGid(line.variant_id, "ProductVariant"),
    quantity: Number(line.quantity ?? 0),
    unitPriceCents: moneyToCents(
      ((line.price_set as Json | undefined)?.shop_money as Json | undefined)?.amount ?? line.price,
      "line_item.price",
    ),
    giftCard: line.gift_card === true,
  }));
  return { order, lineItems };
}

export function productFromRest(payload: Json): ProductRow {
  return {
    id: restGid(payload, "Product"),
    title: text(payload.title, "product.title"),
    handle: text(payload.handle, "product.handle"),
    productType: optionalText(payload.product_type) ?? "",
    vendor: optionalText(payload.vendor) ?? "",
    tags: joinTags(payload.tags),
    status: (optionalText(payload.status) ?? "active").toUpperCase(),
    updatedAt: optionalDate(payload.updated_at, "product.updated_at"),
  };
}

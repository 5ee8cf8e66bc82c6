// Seed files: a store as JSONL in the shape of a Shopify bulk operation result (PRODUCT.md §7).
// Both directions stream, so a 1.5M-line seed never sits in memory as text.
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import {
  type Address,
  type CollectionRecord,
  type CustomerRecord,
  type MarketingState,
  type OrderRecord,
  type ProductRecord,
  gid,
  isoTime,
  decimal,
  parseCents,
  parseGid,
  parseTime,
} from "./model";
import { type ProductInput, Store } from "./store";

const money = (cents: number, currencyCode: string) => ({
  shopMoney: { amount: decimal(cents), currencyCode },
});

const addressJson = (address: Address | null) =>
  address
    ? { countryCodeV2: address.countryCode, provinceCode: address.provinceCode, city: address.city }
    : null;

/**
 * The seed lines for a store, in bulk-operation order (parents before their children). A
 * collection appears once on its own line (title, handle, dates), and once more under each product
 * in it as a `Collection` line with `__parentId`, as a products export with a nested
 * `collections` connection returns it.
 */
export function* seedLines(store: Store): Generator<string> {
  const currency = store.shop.currencyCode;
  for (const collection of store.collections.values())
    yield JSON.stringify({
      id: gid("Collection", collection.id),
      title: collection.title,
      handle: collection.handle,
      createdAt: isoTime(collection.createdAt),
      updatedAt: isoTime(collection.updatedAt),
    });
  for (const product of store.products.values()) {
    const productId = gid("Product", product.id);
    yield JSON.stringify({
      id: productId,
      title: product.title,
      handle: product.handle,
      productType: product.productType,
      vendor: product.vendor,
      tags: product.tags,
      status: product.status,
      createdAt: isoTime(product.createdAt),
      updatedAt: isoTime(product.updatedAt),
    });
    for (const variant of product.variants)
      yield JSON.stringify({
        id: gid("ProductVariant", variant.id),
        title: variant.title,
        sku: variant.sku,
        price: decimal(variant.priceCents),
        __parentId: productId,
      });
    for (const collectionId of product.collectionIds)
      yield JSON.stringify({ id: gid("Collection", collectionId), __parentId: productId });
  }
  for (const customer of store.customers.values()) {
    const stats = store.customerStats(customer.id);
    yield JSON.stringify({
      id: gid("Customer", customer.id),
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      createdAt: isoTime(customer.createdAt),
      updatedAt: isoTime(customer.updatedAt),
      tags: customer.tags,
      numberOfOrders: String(stats.numberOfOrders),
      amountSpent: { amount: decimal(stats.amountSpentCents), currencyCode: currency },
      defaultAddress: addressJson(customer.address),
      emailMarketingConsent: { marketingState: customer.marketingState },
    });
  }
  for (const order of store.orders.values()) {
    const orderId = gid("Order", order.id);
    yield JSON.stringify({
      id: orderId,
      name: `#${order.number}`,
      createdAt: isoTime(order.createdAt),
      processedAt: isoTime(order.processedAt),
      updatedAt: isoTime(order.updatedAt),
      cancelledAt: order.cancelledAt === null ? null : isoTime(order.cancelledAt),
      cancelReason: order.cancelReason?.toUpperCase() ?? null,
      test: order.test,
      customer: order.customerId === null ? null : { id: gid("Customer", order.customerId) },
      currentTotalPriceSet: money(order.totalCents, currency),
      subtotalPriceSet: money(order.subtotalCents, currency),
      totalDiscountsSet: money(order.discountCents, currency),
      totalShippingPriceSet: money(order.shippingCents, currency),
      discountCodes: order.discountCodes,
      sourceName: order.sourceName,
      shippingAddress: addressJson(order.shippingAddress),
      tags: order.tags,
    });
    for (const line of order.lineItems)
      yield JSON.stringify({
        id: gid("LineItem", line.id),
        title: line.title,
        quantity: line.quantity,
        product: line.productId === null ? null : { id: gid("Product", line.productId) },
        variant: line.variantId === null ? null : { id: gid("ProductVariant", line.variantId) },
        originalUnitPriceSet: money(line.unitPriceCents, currency),
        __parentId: orderId,
      });
  }
}

export async function writeSeed(store: Store, file: string): Promise<void> {
  const out = createWriteStream(file, { encoding: "utf8" });
  const failed = once(out, "error").then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  let chunk = "";
  for (const line of seedLines(store)) {
    chunk += line + "\n";
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await Promise.race([once(out, "drain"), failed]);
      chunk = "";
    }
  }
  out.end(chunk);
  await Promise.race([once(out, "finish"), failed]);
}

type Json = Record<string, unknown>;

class SeedError extends Error {}

function idOf(value: unknown, type: string, where: string): number {
  const parsed = typeof value === "string" ? parseGid(value) : null;
  if (!parsed || parsed.type !== type)
    throw new SeedError(
      `${where}: expected a gid://shopify/${type}/… id, got ${JSON.stringify(value)}`,
    );
  return parsed.id;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw new SeedError(`${where}: expected a list of strings`);
  return value as string[];
}

function addressFrom(value: unknown): Address | null {
  if (!value || typeof value !== "object") return null;
  const json = value as Json;
  if (typeof json.countryCodeV2 !== "string") return null;
  return {
    countryCode: json.countryCodeV2,
    provinceCode: typeof json.provinceCode === "string" ? json.provinceCode : null,
    city: typeof json.city === "string" ? json.city : "",
  };
}

const shopMoneyCents = (value: unknown) => {
  const amount = (value as { shopMoney?: { amount?: unknown } } | null | undefined)?.shopMoney
    ?.amount;
  return amount === undefined ? null : parseCents(amount);
};

const MARKETING_STATES = new Set(["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"]);

/**
 * Reads a seed file into a new store. Any malformed line fails the whole read with its line
 * number, so a seed is never half-loaded.
 */
export async function readSeed(file: string, shop?: Store["shop"]): Promise<Store> {
  const store = new Store(shop);
  const pendingProducts = new Map<number, ProductInput & { collectionIds: number[] }>();
  const collections: CollectionRecord[] = [];
  const pendingOrders = new Map<number, OrderRecord>();
  const customers: CustomerRecord[] = [];
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let lineNumber = 0;
  let currency: string | null = null;
  for await (const text of lines) {
    lineNumber++;
    if (!text.trim()) continue;
    const where = `${file}:${lineNumber}`;
    let json: Json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SeedError(`${where}: not valid JSON`);
    }
    const type = typeof json.id === "string" ? parseGid(json.id)?.type : undefined;
    try {
      switch (type) {
        case "Product": {
          const id = idOf(json.id, "Product", where);
          pendingProducts.set(id, {
            id,
            title: String(json.title ?? ""),
            handle: String(json.handle ?? `product-${id}`),
            productType: String(json.productType ?? ""),
            vendor: String(json.vendor ?? ""),
            tags: stringList(json.tags, where),
            status: (json.status as ProductRecord["status"]) ?? "ACTIVE",
            createdAt: parseTime(json.createdAt ?? 0, `${where} createdAt`),
            updatedAt: parseTime(json.updatedAt ?? json.createdAt ?? 0, `${where} updatedAt`),
            variants: [],
            collectionIds: [],
          });
          break;
        }
        case "Collection": {
          const id = idOf(json.id, "Collection", where);
          if (json.__parentId === undefined) {
            const createdAt = parseTime(json.createdAt ?? 0, `${where} createdAt`);
            collections.push({
              id,
              title: String(json.title ?? ""),
              handle: String(json.handle ?? `collection-${id}`),
              createdAt,
              updatedAt: json.updatedAt
                ? parseTime(json.updatedAt, `${where} updatedAt`)
                : createdAt,
            });
            break;
          }
          const productId = idOf(json.__parentId, "Product", `${where} __parentId`);
          const product = pendingProducts.get(productId);
          if (!product) throw new SeedError(`${where}: collection before its product ${productId}`);
          product.collectionIds.push(id);
          break;
        }
        case "ProductVariant": {
          const productId = idOf(json.__parentId, "Product", `${where} __parentId`);
          const product = pendingProducts.get(productId);
          if (!product) throw new SeedError(`${where}: variant before its product ${productId}`);
          product.variants.push({
            id: idOf(json.id, "ProductVariant", where),
            productId,
            title: String(json.title ?? "Default Title"),
            sku: String(json.sku ?? ""),
            priceCents: parseCents(json.price ?? "0"),
          });
          break;
        }
        case "Customer": {
          const state = (json.emailMarketingConsent as Json | null)?.marketingState;
          const createdAt = parseTime(json.createdAt, `${where} createdAt`);
          customers.push({
            id: idOf(json.id, "Customer", where),
            firstName: String(json.firstName ?? ""),
            lastName: String(json.lastName ?? ""),
            email: String(json.email ?? ""),
            createdAt,
            updatedAt: json.updatedAt ? parseTime(json.updatedAt, `${where} updatedAt`) : createdAt,
            tags: stringList(json.tags, where),
            address: addressFrom(json.defaultAddress),
            marketingState: MARKETING_STATES.has(String(state))
              ? (state as MarketingState)
              : "NOT_SUBSCRIBED",
          });
          break;
        }
        case "Order": {
          const id = idOf(json.id, "Order", where);
          const customerJson = json.customer as Json | null | undefined;
          const totalCents = shopMoneyCents(json.currentTotalPriceSet);
          if (totalCents === null) throw new SeedError(`${where}: currentTotalPriceSet missing`);
          currency ??= String(
            (json.currentTotalPriceSet as { shopMoney: Json }).shopMoney.currencyCode ?? "USD",
          );
          const discountCents = shopMoneyCents(json.totalDiscountsSet) ?? 0;
          const shippingCents = shopMoneyCents(json.totalShippingPriceSet) ?? 0;
          const processedAt = parseTime(json.processedAt, `${where} processedAt`);
          pendingOrders.set(id, {
            id,
            number: Number(String(json.name ?? "").replace(/\D/g, "")) || id % 1_000_000,
            customerId: customerJson
              ? idOf(customerJson.id, "Customer", `${where} customer`)
              : null,
            createdAt: json.createdAt
              ? parseTime(json.createdAt, `${where} createdAt`)
              : processedAt,
            processedAt,
            updatedAt: json.updatedAt
              ? parseTime(json.updatedAt, `${where} updatedAt`)
              : processedAt,
            cancelledAt: json.cancelledAt
              ? parseTime(json.cancelledAt, `${where} cancelledAt`)
              : null,
            cancelReason:
              typeof json.cancelReason === "string"
                ? json.cancelReason.toLowerCase()
                : json.cancelledAt
                  ? "other"
                  : null,
            test: json.test === true,
            subtotalCents: shopMoneyCents(json.subtotalPriceSet) ?? -1,
            discountCents,
            shippingCents,
            totalCents,
            discountCodes: stringList(json.discountCodes, where),
            sourceName: String(json.sourceName ?? "web"),
            shippingAddress: addressFrom(json.shippingAddress),
            tags: stringList(json.tags, where),
            lineItems: [],
          });
          break;
        }
        case "LineItem": {
          const orderId = idOf(json.__parentId, "Order", `${where} __parentId`);
          const order = pendingOrders.get(orderId);
          if (!order) throw new SeedError(`${where}: line item before its order ${orderId}`);
          const product = json.product as Json | null | undefined;
          const variant = json.variant as Json | null | undefined;
          const quantity = Number(json.quantity);
          if (!Number.isInteger(quantity) || quantity < 1)
            throw new SeedError(`${where}: quantity must be a positive integer`);
          const unit = shopMoneyCents(json.originalUnitPriceSet);
          if (unit === null) throw new SeedError(`${where}: originalUnitPriceSet missing`);
          order.lineItems.push({
            id: idOf(json.id, "LineItem", where),
            productId: product ? idOf(product.id, "Product", `${where} product`) : null,
            variantId: variant ? idOf(variant.id, "ProductVariant", `${where} variant`) : null,
            title: String(json.title ?? json.name ?? ""),
            quantity,
            unitPriceCents: unit,
          });
          break;
        }
        default:
          throw new SeedError(
            `${where}: unknown object type (id ${JSON.stringify(json.id)}); expected Customer, Product, ProductVariant, Collection, Order or LineItem`,
          );
      }
    } catch (error) {
      if (error instanceof SeedError) throw error;
      throw new SeedError(`${where}: ${(error as Error).message}`);
    }
  }
  if (currency && !shop) store.shop.currencyCode = currency;
  for (const collection of collections) store.insertCollection(collection);
  for (const product of pendingProducts.values()) store.insertProduct(product);
  for (const customer of customers) store.insertCustomer(customer);
  for (const order of pendingOrders.values()) {
    if (order.subtotalCents < 0)
      order.subtotalCents = order.lineItems.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0);
    if (order.customerId !== null && !store.customers.has(order.customerId))
      throw new SeedError(
        `${file}: order ${order.id} refers to customer ${order.customerId}, which is not in the seed`,
      );
    store.insertOrder(order);
  }
  return store;
}

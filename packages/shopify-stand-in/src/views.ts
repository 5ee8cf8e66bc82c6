// GraphQL views over store records: plain objects whose properties are values or resolver
// functions `(args) => value`. Anything the schema asks for that a view lacks fails loudly
// (see the field resolver in execute.ts).
import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import { expandAppNamespace } from "./app-namespace";
import { type PageArgs, connection, sortList } from "./connections";
import {
  type Address,
  type CollectionRecord,
  type CustomerRecord,
  type LineItemRecord,
  type MetafieldRecord,
  type OrderRecord,
  type ProductRecord,
  type SegmentRecord,
  type VariantRecord,
  countryName,
  decimal,
  gid,
  isoTime,
  parseGid,
} from "./model";
import { type SearchSpec, SearchError, searchFilter } from "./search";
import type { Store, ThemeRecord } from "./store";

export type View = Record<string, unknown>;

/** What views need beyond the store: app identity and the stand-in's other services. */
export interface ViewContext {
  store: Store;
  appInstallationId: number;
  apiKey: string;
  appHandle: string;
  scopes: string[];
  bulkOperationView?: (id: number) => View | null;
  webhookSubscriptionView?: (id: number) => View | null;
}

export const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });

const money = (cents: number, currencyCode: string) => ({
  __typename: "MoneyV2",
  amount: decimal(cents),
  currencyCode,
});

const moneyBag = (cents: number, currencyCode: string) => ({
  __typename: "MoneyBag",
  shopMoney: money(cents, currencyCode),
  presentmentMoney: money(cents, currencyCode),
});

function withSearch<T>(query: string | null | undefined, spec: SearchSpec<T>) {
  try {
    return searchFilter(query, spec);
  } catch (error) {
    if (error instanceof SearchError) throw badRequest(error.message);
    throw error;
  }
}

// ---- search specs ----------------------------------------------------------------------

export const customerSearch = (store: Store): SearchSpec<CustomerRecord> => ({
  resource: "customers",
  text: (c) => `${c.firstName} ${c.lastName} ${c.email}`,
  fields: {
    id: { kind: "id", get: (c) => c.id },
    created_at: { kind: "date", get: (c) => c.createdAt },
    updated_at: { kind: "date", get: (c) => c.updatedAt },
    email: { kind: "string", get: (c) => c.email },
    first_name: { kind: "string", get: (c) => c.firstName },
    last_name: { kind: "string", get: (c) => c.lastName },
    tag: { kind: "list", get: (c) => c.tags },
    country: { kind: "string", get: (c) => c.address?.countryCode ?? "" },
    accepts_marketing: { kind: "bool", get: (c) => c.marketingState === "SUBSCRIBED" },
    orders_count: { kind: "number", get: (c) => store.customerStats(c.id).numberOfOrders },
    number_of_orders: { kind: "number", get: (c) => store.customerStats(c.id).numberOfOrders },
    total_spent: { kind: "number", get: (c) => store.customerStats(c.id).amountSpentCents / 100 },
    amount_spent: { kind: "number", get: (c) => store.customerStats(c.id).amountSpentCents / 100 },
    state: { kind: "string", get: () => "enabled" },
  },
});

export const orderSearch = (): SearchSpec<OrderRecord> => ({
  resource: "orders",
  text: (o) => `#${o.number} ${o.number}`,
  fields: {
    id: { kind: "id", get: (o) => o.id },
    created_at: { kind: "date", get: (o) => o.createdAt },
    updated_at: { kind: "date", get: (o) => o.updatedAt },
    processed_at: { kind: "date", get: (o) => o.processedAt },
    cancelled_at: { kind: "date", get: (o) => o.cancelledAt },
    customer_id: { kind: "id", get: (o) => o.customerId },
    name: { kind: "string", get: (o) => `#${o.number}` },
    tag: { kind: "list", get: (o) => o.tags },
    test: { kind: "bool", get: (o) => o.test },
    source_name: { kind: "string", get: (o) => o.sourceName },
    discount_code: { kind: "list", get: (o) => o.discountCodes },
    status: {
      kind: "list",
      get: (o) => (o.cancelledAt !== null ? ["cancelled", "any"] : ["open", "any"]),
    },
    financial_status: {
      kind: "string",
      get: (o) => (o.cancelledAt !== null ? "refunded" : "paid"),
    },
  },
});

export const productSearch = (): SearchSpec<ProductRecord> => ({
  resource: "products",
  text: (p) => p.title,
  fields: {
    id: { kind: "id", get: (p) => p.id },
    title: { kind: "string", get: (p) => p.title },
    handle: { kind: "string", get: (p) => p.handle },
    product_type: { kind: "string", get: (p) => p.productType },
    vendor: { kind: "string", get: (p) => p.vendor },
    tag: { kind: "list", get: (p) => p.tags },
    status: { kind: "string", get: (p) => p.status },
    created_at: { kind: "date", get: (p) => p.createdAt },
    updated_at: { kind: "date", get: (p) => p.updatedAt },
  },
});

export const collectionSearch = (store: Store): SearchSpec<CollectionRecord> => ({
  resource: "collections",
  text: (c) => c.title,
  fields: {
    id: { kind: "id", get: (c) => c.id },
    title: { kind: "string", get: (c) => c.title },
    handle: { kind: "string", get: (c) => c.handle },
    collection_type: { kind: "string", get: () => "custom" },
    updated_at: { kind: "date", get: (c) => c.updatedAt },
    product_id: {
      kind: "list",
      get: (c) => store.productsIn(c.id).map((p) => String(p.id)),
    },
  },
});

const segmentSearch = (): SearchSpec<SegmentRecord> => ({
  resource: "segments",
  text: (s) => s.name,
  fields: {
    id: { kind: "id", get: (s) => s.id },
    name: { kind: "string", get: (s) => s.name },
  },
});

// ---- sorting -----------------------------------------------------------------------------

function unsupportedSort(resource: string, sortKey: string): never {
  throw badRequest(`The Shopify stand-in does not implement sortKey ${sortKey} for ${resource}`);
}

function customerSort(sortKey: string) {
  switch (sortKey) {
    case "ID":
    case "RELEVANCE":
      return (c: CustomerRecord) => c.id;
    case "CREATED_AT":
      return (c: CustomerRecord) => c.createdAt;
    case "UPDATED_AT":
      return (c: CustomerRecord) => c.updatedAt;
    case "NAME":
      return (c: CustomerRecord) => `${c.firstName} ${c.lastName}`.toLowerCase();
    case "LOCATION":
      return (c: CustomerRecord) => `${c.address?.countryCode ?? ""} ${c.address?.city ?? ""}`;
    default:
      return unsupportedSort("customers", sortKey);
  }
}

function orderSort(sortKey: string) {
  switch (sortKey) {
    case "ID":
    case "RELEVANCE":
      return (o: OrderRecord) => o.id;
    case "CREATED_AT":
      return (o: OrderRecord) => o.createdAt;
    case "UPDATED_AT":
      return (o: OrderRecord) => o.updatedAt;
    case "PROCESSED_AT":
      return (o: OrderRecord) => o.processedAt;
    case "ORDER_NUMBER":
      return (o: OrderRecord) => o.number;
    case "TOTAL_PRICE":
    case "CURRENT_TOTAL_PRICE":
      return (o: OrderRecord) => o.totalCents;
    default:
      return unsupportedSort("orders", sortKey);
  }
}

function productSort(sortKey: string) {
  switch (sortKey) {
    case "ID":
    case "RELEVANCE":
      return (p: ProductRecord) => p.id;
    case "CREATED_AT":
      return (p: ProductRecord) => p.createdAt;
    case "UPDATED_AT":
      return (p: ProductRecord) => p.updatedAt;
    case "TITLE":
      return (p: ProductRecord) => p.title.toLowerCase();
    case "PRODUCT_TYPE":
      return (p: ProductRecord) => p.productType.toLowerCase();
    case "VENDOR":
      return (p: ProductRecord) => p.vendor.toLowerCase();
    default:
      return unsupportedSort("products", sortKey);
  }
}

function collectionSort(sortKey: string) {
  switch (sortKey) {
    case "ID":
    case "RELEVANCE":
      return (c: CollectionRecord) => c.id;
    case "TITLE":
      return (c: CollectionRecord) => c.title.toLowerCase();
    case "UPDATED_AT":
      return (c: CollectionRecord) => c.updatedAt;
    default:
      return unsupportedSort("collections", sortKey);
  }
}

/** Products within a collection (ProductCollectionSortKeys); a custom collection's order is by id. */
function collectionProductSort(sortKey: string) {
  switch (sortKey) {
    case "COLLECTION_DEFAULT":
    case "MANUAL":
    case "ID":
    case "RELEVANCE":
      return (p: ProductRecord) => p.id;
    case "CREATED":
      return (p: ProductRecord) => p.createdAt;
    case "TITLE":
      return (p: ProductRecord) => p.title.toLowerCase();
    default:
      return unsupportedSort("collection products", sortKey);
  }
}

interface ListArgs extends PageArgs {
  query?: string | null;
  sortKey?: string | null;
}

function listConnection<T extends { id: number }>(
  source: Iterable<T>,
  args: ListArgs,
  spec: SearchSpec<T>,
  sortBy: (key: string) => (item: T) => number | string,
  view: (item: T) => View,
  cache?: { store: Store; resource: string },
) {
  const sortValue = sortBy(args.sortKey ?? "ID");
  const reverse = Boolean(args.reverse);
  const build = () => {
    const keep = withSearch(args.query, spec);
    const items: T[] = [];
    for (const item of source) if (keep(item)) items.push(item);
    sortList({ items, sortValue, id: (item) => item.id, reverse });
    return items;
  };
  const items = cache
    ? cache.store.cachedList(
        `${cache.resource}|${args.query ?? ""}|${args.sortKey ?? "ID"}|${reverse}`,
        build,
      )
    : build();
  return connection({ items, sortValue, id: (item) => item.id, reverse }, args, view);
}

/** Filtered records for a search (used by counts and bulk operations). */
export function filtered<T>(
  source: Iterable<T>,
  query: string | null | undefined,
  spec: SearchSpec<T>,
) {
  const keep = withSearch(query, spec);
  const items: T[] = [];
  for (const item of source) if (keep(item)) items.push(item);
  return items;
}

// ---- views -------------------------------------------------------------------------------

const RFM_BY_SCORE: string[][] = [
  // index [recency 0..2][frequency 0..2]: a coarse stand-in for Shopify's own classification
  ["DORMANT", "AT_RISK", "PREVIOUSLY_LOYAL"],
  ["NEEDS_ATTENTION", "NEEDS_ATTENTION", "LOYAL"],
  ["NEW", "ACTIVE", "CHAMPIONS"],
];

export class Views {
  constructor(private readonly ctx: ViewContext) {}

  private get store() {
    return this.ctx.store;
  }

  private get currency() {
    return this.store.shop.currencyCode;
  }

  /**
   * Without `read_all_orders`, Shopify hides orders processed more than 60 days ago (lifetime
   * customer aggregates are unaffected).
   */
  visibleOrders(orders: Iterable<OrderRecord>): Iterable<OrderRecord> {
    if (this.ctx.scopes.includes("read_all_orders")) return orders;
    const since = this.store.clock() - 60 * 86_400_000;
    return [...orders].filter((order) => order.processedAt >= since);
  }

  shop(): View {
    const { shop } = this.store;
    return {
      __typename: "Shop",
      id: gid("Shop", 1),
      name: shop.name,
      myshopifyDomain: shop.domain,
      url: `https://${shop.domain}`,
      email: `owner@${shop.domain}`,
      contactEmail: `hello@${shop.domain}`,
      currencyCode: shop.currencyCode,
      enabledPresentmentCurrencies: [shop.currencyCode],
      ianaTimezone: shop.ianaTimezone,
      timezoneAbbreviation: "UTC",
      timezoneOffset: "+0000",
      timezoneOffsetMinutes: 0,
      weightUnit: "KILOGRAMS",
      createdAt: () => isoTime(Date.UTC(2020, 0, 1)),
      primaryDomain: {
        id: gid("Domain", 1),
        host: shop.domain,
        url: `https://${shop.domain}`,
        sslEnabled: true,
      },
      plan: {
        displayName: shop.plusPlan ? "Shopify Plus" : "Basic",
        publicDisplayName: shop.plusPlan ? "Shopify Plus" : "Basic",
        partnerDevelopment: false,
        shopifyPlus: shop.plusPlan,
      },
      currencyFormats: {
        moneyFormat: "${{amount}}",
        moneyWithCurrencyFormat: `\${{amount}} ${shop.currencyCode}`,
      },
      billingAddress: {
        id: gid("ShopAddress", 1),
        countryCodeV2: "US",
        country: "United States",
        provinceCode: "NY",
        city: "New York",
      },
      metafield: (args: { namespace?: string; key: string }) =>
        this.metafieldOf(gid("Shop", 1), args),
      metafields: (args: MetafieldListArgs) => this.metafieldsOf(gid("Shop", 1), args),
    };
  }

  address(address: Address | null, ownerId: number): View | null {
    if (!address) return null;
    return {
      __typename: "MailingAddress",
      id: gid("MailingAddress", ownerId),
      countryCodeV2: address.countryCode,
      countryCode: address.countryCode,
      country: countryName(address.countryCode),
      provinceCode: address.provinceCode,
      province: address.provinceCode,
      city: address.city,
      address1: null,
      address2: null,
      zip: null,
      company: null,
      phone: null,
      firstName: null,
      lastName: null,
      name: null,
      latitude: null,
      longitude: null,
      coordinatesValidated: false,
      formattedArea: [address.city, address.provinceCode, countryName(address.countryCode)]
        .filter(Boolean)
        .join(", "),
    };
  }

  customer(c: CustomerRecord): View {
    const stats = () => this.store.customerStats(c.id);
    const marketingState = c.marketingState;
    const optIn = marketingState === "SUBSCRIBED" ? "SINGLE_OPT_IN" : null;
    const id = gid("Customer", c.id);
    return {
      __typename: "Customer",
      id,
      legacyResourceId: String(c.id),
      firstName: c.firstName,
      lastName: c.lastName,
      displayName: `${c.firstName} ${c.lastName}`.trim(),
      email: c.email,
      phone: null,
      note: null,
      locale: "en",
      state: "ENABLED",
      verifiedEmail: true,
      taxExempt: false,
      validEmailAddress: true,
      dataSaleOptOut: false,
      createdAt: () => isoTime(c.createdAt),
      updatedAt: () => isoTime(c.updatedAt),
      tags: c.tags,
      numberOfOrders: () => String(stats().numberOfOrders),
      amountSpent: () => money(stats().amountSpentCents, this.currency),
      lastOrder: () => {
        const last = stats().lastOrder;
        return last ? this.order(last) : null;
      },
      defaultAddress: () => this.address(c.address, c.id),
      addresses: () => (c.address ? [this.address(c.address, c.id)] : []),
      emailMarketingConsent: {
        marketingState,
        marketingOptInLevel: optIn,
        consentUpdatedAt: null,
        sourceLocation: null,
      },
      defaultEmailAddress: {
        emailAddress: c.email,
        marketingState,
        marketingOptInLevel: optIn,
        marketingUpdatedAt: null,
        validFormat: true,
        sourceLocation: null,
      },
      defaultPhoneNumber: null,
      smsMarketingConsent: null,
      statistics: () => ({ predictedSpendTier: null, rfmGroup: this.rfmGroup(c) }),
      orders: (args: ListArgs) =>
        listConnection(
          this.visibleOrders(this.store.ordersOf(c.id)),
          args,
          orderSearch(),
          orderSort,
          (o) => this.order(o),
        ),
      metafield: (args: { namespace?: string; key: string }) => this.metafieldOf(id, args),
      metafields: (args: MetafieldListArgs) => this.metafieldsOf(id, args),
    };
  }

  /** A coarse recency × frequency bucket; Shopify publishes no thresholds for its own groups. */
  private rfmGroup(c: CustomerRecord) {
    const { numberOfOrders, lastOrder } = this.store.customerStats(c.id);
    if (!lastOrder || numberOfOrders === 0) return "PROSPECTS";
    const days = (this.store.clock() - lastOrder.processedAt) / 86_400_000;
    const recency = days <= 60 ? 2 : days <= 180 ? 1 : 0;
    const frequency = numberOfOrders >= 5 ? 2 : numberOfOrders >= 2 ? 1 : 0;
    return RFM_BY_SCORE[recency][frequency];
  }

  order(o: OrderRecord): View {
    const currency = this.currency;
    const customer = o.customerId === null ? null : this.store.customers.get(o.customerId);
    const lineItemsCents = o.lineItems.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0);
    const cancelled = o.cancelledAt !== null;
    return {
      __typename: "Order",
      id: gid("Order", o.id),
      legacyResourceId: String(o.id),
      name: `#${o.number}`,
      number: o.number - 1000,
      createdAt: () => isoTime(o.createdAt),
      processedAt: () => isoTime(o.processedAt),
      updatedAt: () => isoTime(o.updatedAt),
      cancelledAt: () => (cancelled ? isoTime(o.cancelledAt!) : null),
      cancelReason: o.cancelReason ? o.cancelReason.toUpperCase() : null,
      closed: false,
      closedAt: null,
      confirmed: true,
      test: o.test,
      email: customer?.email ?? null,
      phone: null,
      note: null,
      customer: () => (customer ? this.customer(customer) : null),
      currencyCode: currency,
      presentmentCurrencyCode: currency,
      subtotalPriceSet: () => moneyBag(o.subtotalCents - o.discountCents, currency),
      currentSubtotalPriceSet: () => moneyBag(o.subtotalCents - o.discountCents, currency),
      totalPriceSet: () => moneyBag(o.totalCents, currency),
      currentTotalPriceSet: () => moneyBag(o.totalCents, currency),
      totalDiscountsSet: () => moneyBag(o.discountCents, currency),
      currentTotalDiscountsSet: () => moneyBag(o.discountCents, currency),
      totalShippingPriceSet: () => moneyBag(o.shippingCents, currency),
      totalTaxSet: () => moneyBag(0, currency),
      currentTotalTaxSet: () => moneyBag(0, currency),
      totalRefundedSet: () => moneyBag(cancelled ? o.totalCents : 0, currency),
      totalLineItemsPriceSet: () => moneyBag(lineItemsCents, currency),
      discountCodes: o.discountCodes,
      discountCode: o.discountCodes[0] ?? null,
      sourceName: o.sourceName,
      tags: o.tags,
      displayFinancialStatus: cancelled ? "REFUNDED" : "PAID",
      displayFulfillmentStatus: cancelled ? "UNFULFILLED" : "FULFILLED",
      fullyPaid: true,
      unpaid: false,
      shippingAddress: () => this.address(o.shippingAddress, o.id),
      billingAddress: () => this.address(o.shippingAddress, o.id),
      lineItems: (args: PageArgs) =>
        connection(
          {
            items: o.lineItems,
            sortValue: (line) => line.id,
            id: (line) => line.id,
            reverse: Boolean(args.reverse),
          },
          args,
          (line) => this.lineItem(line, o),
        ),
    };
  }

  lineItem(line: LineItemRecord, order: OrderRecord): View {
    const currency = this.currency;
    const product = line.productId === null ? null : this.store.products.get(line.productId);
    const variant = line.variantId === null ? null : this.store.variants.get(line.variantId);
    const cancelled = order.cancelledAt !== null;
    return {
      __typename: "LineItem",
      id: gid("LineItem", line.id),
      title: line.title,
      name:
        variant && variant.title !== "Default Title"
          ? `${line.title} - ${variant.title}`
          : line.title,
      quantity: line.quantity,
      currentQuantity: cancelled ? 0 : line.quantity,
      unfulfilledQuantity: 0,
      sku: variant?.sku ?? null,
      vendor: product?.vendor ?? null,
      variantTitle: variant?.title ?? null,
      isGiftCard: product?.giftCard ?? false,
      requiresShipping: true,
      taxable: true,
      customAttributes: [],
      product: () => (product ? this.product(product) : null),
      variant: () => (variant ? this.variant(variant) : null),
      originalUnitPriceSet: () => moneyBag(line.unitPriceCents, currency),
      discountedUnitPriceSet: () => moneyBag(line.unitPriceCents, currency),
      originalTotalSet: () => moneyBag(line.unitPriceCents * line.quantity, currency),
      discountedTotalSet: () => moneyBag(line.unitPriceCents * line.quantity, currency),
      totalDiscountSet: () => moneyBag(0, currency),
    };
  }

  product(p: ProductRecord): View {
    const currency = this.currency;
    const prices = p.variants.map((v) => v.priceCents);
    const id = gid("Product", p.id);
    return {
      __typename: "Product",
      id,
      legacyResourceId: String(p.id),
      title: p.title,
      handle: p.handle,
      productType: p.productType,
      vendor: p.vendor,
      tags: p.tags,
      status: p.status,
      createdAt: () => isoTime(p.createdAt),
      updatedAt: () => isoTime(p.updatedAt),
      publishedAt: p.status === "ACTIVE" ? isoTime(p.createdAt) : null,
      description: "",
      descriptionHtml: "",
      onlineStoreUrl:
        p.status === "ACTIVE" ? `https://${this.store.shop.domain}/products/${p.handle}` : null,
      isGiftCard: p.giftCard ?? false,
      hasOnlyDefaultVariant: p.variants.length === 1 && p.variants[0].title === "Default Title",
      totalInventory: 100 * p.variants.length,
      tracksInventory: false,
      featuredImage: null,
      featuredMedia: null,
      priceRangeV2: {
        minVariantPrice: money(Math.min(...prices), currency),
        maxVariantPrice: money(Math.max(...prices), currency),
      },
      variantsCount: { count: p.variants.length, precision: "EXACT" },
      variants: (args: PageArgs) =>
        connection(
          {
            items: p.variants,
            sortValue: (v) => v.id,
            id: (v) => v.id,
            reverse: Boolean(args.reverse),
          },
          args,
          (v) => this.variant(v),
        ),
      collections: (args: ListArgs) =>
        listConnection(
          p.collectionIds.map((collectionId) => this.store.collections.get(collectionId)!),
          args,
          collectionSearch(this.store),
          collectionSort,
          (c) => this.collection(c),
        ),
      metafield: (args: { namespace?: string; key: string }) => this.metafieldOf(id, args),
      metafields: (args: MetafieldListArgs) => this.metafieldsOf(id, args),
    };
  }

  /** A custom (manual) collection: no rule set, products in the order they were added. */
  collection(c: CollectionRecord): View {
    const id = gid("Collection", c.id);
    return {
      __typename: "Collection",
      id,
      legacyResourceId: String(c.id),
      title: c.title,
      handle: c.handle,
      updatedAt: () => isoTime(c.updatedAt),
      description: () => "",
      descriptionHtml: "",
      ruleSet: null,
      sortOrder: "MANUAL",
      templateSuffix: null,
      image: null,
      seo: { title: null, description: null },
      hasProduct: ({ id: productId }: { id: string }) => {
        const parsed = parseGid(productId);
        const product = parsed?.type === "Product" ? this.store.products.get(parsed.id) : undefined;
        return product?.collectionIds.includes(c.id) ?? false;
      },
      productsCount: () => ({ count: this.store.productsIn(c.id).length, precision: "EXACT" }),
      products: (args: ListArgs) =>
        listConnection(
          this.store.productsIn(c.id),
          args,
          productSearch(),
          collectionProductSort,
          (p) => this.product(p),
        ),
      metafield: (args: { namespace?: string; key: string }) => this.metafieldOf(id, args),
      metafields: (args: MetafieldListArgs) => this.metafieldsOf(id, args),
    };
  }

  collections(args: ListArgs) {
    return listConnection(
      this.store.collections.values(),
      args,
      collectionSearch(this.store),
      collectionSort,
      (c) => this.collection(c),
    );
  }

  variant(v: VariantRecord): View {
    const product = this.store.products.get(v.productId)!;
    return {
      __typename: "ProductVariant",
      id: gid("ProductVariant", v.id),
      legacyResourceId: String(v.id),
      title: v.title,
      displayName: `${product.title} - ${v.title}`,
      sku: v.sku,
      price: decimal(v.priceCents),
      compareAtPrice: null,
      availableForSale: product.status === "ACTIVE",
      inventoryQuantity: 100,
      taxable: true,
      barcode: null,
      position: product.variants.indexOf(v) + 1,
      createdAt: () => isoTime(product.createdAt),
      updatedAt: () => isoTime(product.updatedAt),
      product: () => this.product(product),
    };
  }

  appInstallation(): View {
    const id = gid("AppInstallation", this.ctx.appInstallationId);
    return {
      __typename: "AppInstallation",
      id,
      launchUrl: `https://${this.store.shop.domain}/admin/apps/${this.ctx.appHandle}`,
      uninstallUrl: null,
      accessScopes: this.ctx.scopes.map((handle) => ({ handle, description: handle })),
      app: {
        __typename: "App",
        id: gid("App", 1),
        title: "Persegment",
        handle: this.ctx.appHandle,
        apiKey: this.ctx.apiKey,
        embedded: true,
        developerName: "Persegment",
      },
      activeSubscriptions: [],
      metafield: (args: { namespace?: string; key: string }) => this.metafieldOf(id, args),
      metafields: (args: MetafieldListArgs) => this.metafieldsOf(id, args),
    };
  }

  segment(s: SegmentRecord): View {
    return {
      __typename: "Segment",
      id: gid("Segment", s.id),
      name: s.name,
      query: s.query,
      creationDate: () => isoTime(s.createdAt),
      lastEditDate: () => isoTime(s.updatedAt),
    };
  }

  themes(args: PageArgs & { roles?: string[] | null; names?: string[] | null }) {
    const nameMatches = (name: string) =>
      !args.names ||
      args.names.some((pattern) =>
        new RegExp(
          `^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`,
          "i",
        ).test(name),
      );
    const items = [...this.store.themes.values()].filter(
      (theme) => (!args.roles || args.roles.includes(theme.role)) && nameMatches(theme.name),
    );
    return connection(
      {
        items,
        sortValue: (theme) => theme.id,
        id: (theme) => theme.id,
        reverse: Boolean(args.reverse),
      },
      args,
      (theme) => this.theme(theme),
    );
  }

  theme(theme: ThemeRecord): View {
    return {
      __typename: "OnlineStoreTheme",
      id: gid("OnlineStoreTheme", theme.id),
      name: theme.name,
      role: theme.role,
      prefix: `/t/${theme.id}`,
      processing: false,
      processingFailed: false,
      themeStoreId: theme.name === "Dawn" ? 887 : null,
      createdAt: () => isoTime(Date.UTC(2024, 0, 1)),
      updatedAt: () =>
        isoTime(
          Math.max(Date.UTC(2024, 0, 1), ...[...theme.files.values()].map((f) => f.updatedAt)),
        ),
      files: (fileArgs: {
        filenames?: string[] | null;
        first?: number | null;
        after?: string | null;
      }) => {
        const filenames = fileArgs.filenames ?? null;
        if (filenames && filenames.length > 50)
          throw badRequest("At most 50 filenames can be specified.");
        const first = fileArgs.first ?? 50;
        if (first > 2500) throw badRequest("At most 2500 files can be fetched at once.");
        const matches = (filename: string) =>
          !filenames ||
          filenames.some((pattern) =>
            new RegExp(
              `^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`,
            ).test(filename),
          );
        const names = [...theme.files.keys()].filter(matches).sort();
        const start = fileArgs.after
          ? names.indexOf(Buffer.from(fileArgs.after, "base64").toString()) + 1
          : 0;
        const page = names.slice(start, start + first);
        const edges = page.map((filename) => {
          const file = theme.files.get(filename)!;
          return {
            cursor: Buffer.from(filename).toString("base64"),
            node: {
              filename,
              contentType: filename.endsWith(".json") ? "application/json" : "text/plain",
              size: String(Buffer.byteLength(file.content)),
              checksumMd5: createHash("md5").update(file.content).digest("hex"),
              createdAt: isoTime(Date.UTC(2024, 0, 1)),
              updatedAt: isoTime(file.updatedAt),
              body: { __typename: "OnlineStoreThemeFileBodyText", content: file.content },
            },
          };
        });
        return {
          edges,
          nodes: edges.map((edge) => edge.node),
          pageInfo: {
            hasNextPage: start + first < names.length,
            hasPreviousPage: start > 0,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges[edges.length - 1]?.cursor ?? null,
          },
          userErrors: [],
        };
      },
    };
  }

  segments(args: ListArgs) {
    return listConnection(
      this.store.segments.values(),
      args,
      segmentSearch(),
      (key) => {
        if (key === "ID") return (s: SegmentRecord) => s.id;
        if (key === "CREATION_DATE") return (s: SegmentRecord) => s.createdAt;
        if (key === "LAST_EDIT_DATE") return (s: SegmentRecord) => s.updatedAt;
        return unsupportedSort("segments", key);
      },
      (s) => this.segment(s),
    );
  }

  /** `$app` and `$app:suffix` stand for the app's reserved namespace, as on Shopify. */
  expandNamespace(namespace: string | null | undefined) {
    return expandAppNamespace(this.ctx.apiKey, namespace);
  }

  metafield(m: MetafieldRecord): View {
    const ownerType = m.ownerGid.split("/")[3];
    return {
      __typename: "Metafield",
      id: gid("Metafield", m.id),
      legacyResourceId: String(m.id),
      namespace: m.namespace,
      key: m.key,
      type: m.type,
      value: m.value,
      jsonValue: () => metafieldJsonValue(m),
      compareDigest: createHash("sha256").update(m.value).digest("hex"),
      createdAt: () => isoTime(m.createdAt),
      updatedAt: () => isoTime(m.updatedAt),
      description: null,
      definition: null,
      ownerType: OWNER_TYPES[ownerType] ?? ownerType.toUpperCase(),
      owner: () => this.node(m.ownerGid),
      reference: () =>
        m.type.endsWith("_reference") && !m.type.startsWith("list.") ? this.node(m.value) : null,
      references: (args: PageArgs) => {
        if (!m.type.startsWith("list.") || !m.type.endsWith("_reference")) return null;
        const ids = JSON.parse(m.value) as string[];
        return connection(
          {
            items: ids.map((value, index) => ({ value, index })),
            sortValue: (x) => x.index,
            id: (x) => x.index,
            reverse: false,
          },
          args,
          (x) => this.node(x.value),
        );
      },
    };
  }

  metafieldOf(ownerGid: string, args: { namespace?: string | null; key: string }) {
    const namespace = this.expandNamespace(args.namespace);
    let key = args.key;
    let ns = namespace;
    // `key` may be "namespace.key" when namespace is omitted.
    if (!args.namespace && key.includes(".")) {
      ns = this.expandNamespace(key.slice(0, key.lastIndexOf(".")));
      key = key.slice(key.lastIndexOf(".") + 1);
    }
    for (const m of this.store.metafields.values())
      if (m.ownerGid === ownerGid && m.namespace === ns && m.key === key) return this.metafield(m);
    return null;
  }

  metafieldsOf(ownerGid: string, args: MetafieldListArgs) {
    const namespace = args.namespace ? this.expandNamespace(args.namespace) : null;
    const keys = args.keys?.map((full) => {
      const dot = full.lastIndexOf(".");
      return `${this.expandNamespace(full.slice(0, dot))}.${full.slice(dot + 1)}`;
    });
    const items = [...this.store.metafields.values()].filter(
      (m) =>
        m.ownerGid === ownerGid &&
        (!namespace || m.namespace === namespace) &&
        (!keys || keys.includes(`${m.namespace}.${m.key}`)),
    );
    return connection(
      { items, sortValue: (m) => m.id, id: (m) => m.id, reverse: Boolean(args.reverse) },
      args,
      (m) => this.metafield(m),
    );
  }

  customers(args: ListArgs) {
    return listConnection(
      this.store.customers.values(),
      args,
      customerSearch(this.store),
      customerSort,
      (c) => this.customer(c),
      { store: this.store, resource: "customers" },
    );
  }

  orders(args: ListArgs) {
    return listConnection(
      this.visibleOrders(this.store.orders.values()),
      args,
      orderSearch(),
      orderSort,
      (o) => this.order(o),
      // Without read_all_orders the visible window moves with the clock: no caching then.
      this.ctx.scopes.includes("read_all_orders")
        ? { store: this.store, resource: "orders" }
        : undefined,
    );
  }

  products(args: ListArgs) {
    return listConnection(
      this.store.products.values(),
      args,
      productSearch(),
      productSort,
      (p) => this.product(p),
      { store: this.store, resource: "products" },
    );
  }

  /** Any Node by GID; null when it does not exist (as Shopify answers). */
  node(id: string): View | null {
    const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)/.exec(id);
    if (!match) throw badRequest(`Invalid global id '${id}'`);
    const [, type, raw] = match;
    const numeric = Number(raw);
    switch (type) {
      case "Customer": {
        const c = this.store.customers.get(numeric);
        return c ? this.customer(c) : null;
      }
      case "Order": {
        const o = this.store.orders.get(numeric);
        return o && [...this.visibleOrders([o])].length ? this.order(o) : null;
      }
      case "Product": {
        const p = this.store.products.get(numeric);
        return p ? this.product(p) : null;
      }
      case "ProductVariant": {
        const v = this.store.variants.get(numeric);
        return v ? this.variant(v) : null;
      }
      case "Collection": {
        const c = this.store.collections.get(numeric);
        return c ? this.collection(c) : null;
      }
      case "Segment": {
        const s = this.store.segments.get(numeric);
        return s ? this.segment(s) : null;
      }
      case "Metafield": {
        const m = this.store.metafields.get(numeric);
        return m ? this.metafield(m) : null;
      }
      case "AppInstallation":
        return numeric === this.ctx.appInstallationId ? this.appInstallation() : null;
      case "Shop":
        return numeric === 1 ? this.shop() : null;
      case "BulkOperation":
        return this.ctx.bulkOperationView?.(numeric) ?? null;
      case "WebhookSubscription":
        return this.ctx.webhookSubscriptionView?.(numeric) ?? null;
      default:
        throw new GraphQLError(
          `The Shopify stand-in does not implement node lookup for type ${type}`,
          {
            extensions: { code: "NOT_IMPLEMENTED_IN_STAND_IN" },
          },
        );
    }
  }
}

export interface MetafieldListArgs extends PageArgs {
  namespace?: string | null;
  keys?: string[] | null;
}

const OWNER_TYPES: Record<string, string> = {
  AppInstallation: "API_PERMISSION",
  Product: "PRODUCT",
  Collection: "COLLECTION",
  Customer: "CUSTOMER",
  Shop: "SHOP",
  Order: "ORDER",
};

export function metafieldJsonValue(m: MetafieldRecord): unknown {
  if (m.type === "json" || m.type.startsWith("list.")) return JSON.parse(m.value);
  if (m.type === "boolean") return m.value === "true";
  if (m.type === "number_integer") return Number(m.value);
  if (m.type === "number_decimal") return m.value;
  return m.value;
}

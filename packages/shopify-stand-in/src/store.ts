import {
  type Address,
  type CollectionRecord,
  type CustomerRecord,
  type LineItemRecord,
  type MarketingState,
  type MetafieldRecord,
  type OrderRecord,
  type ProductRecord,
  type SegmentRecord,
  type VariantRecord,
} from "./model";
import type { EmailActivityRecord, EmailEventRecord } from "./email";
import type { FlowTriggerRecord } from "./flow";
import type { WebPixelRecord } from "./web-pixel";
import {
  customerPayload,
  customerTagsPayload,
  orderPayload,
  productPayload,
} from "./rest-payloads";

export interface ShopInfo {
  name: string;
  domain: string;
  currencyCode: string;
  ianaTimezone: string;
  plusPlan: boolean;
  /** The shop's languages (`shopLocales`); one published primary English when not given. */
  locales?: ShopLocaleInfo[];
}

export interface ShopLocaleInfo {
  locale: string;
  name: string;
  primary: boolean;
  published: boolean;
}

/** One change that Shopify would announce by webhook. */
export interface StoreChange {
  topic: string;
  payload: unknown;
  /** Deliveries caused by one action share an event id (X-Shopify-Event-Id). */
  eventId: string;
  triggeredAt: number;
}

export type ChangeListener = (change: StoreChange) => void;

export interface NewOrder {
  customerId?: number | null;
  lines: { variantId: number; quantity: number }[];
  discountCode?: string | null;
  discountPercent?: number;
  shippingCents?: number;
  processedAt?: number;
  sourceName?: string;
  test?: boolean;
  shippingAddress?: Address | null;
  tags?: string[];
}

export interface CustomerChanges {
  firstName?: string;
  lastName?: string;
  email?: string;
  tags?: string[];
  address?: Address | null;
  marketingState?: MarketingState;
}

export interface OrderChanges {
  tags?: string[];
  shippingAddress?: Address | null;
  processedAt?: number;
  test?: boolean;
}

/** Lists at least this long are cached per revision (small test stores never are). */
const CACHED_LIST_MIN_LENGTH = 2000;

export class StoreError extends Error {}

export type ThemeRole = "MAIN" | "UNPUBLISHED" | "DEVELOPMENT" | "DEMO" | "ARCHIVED" | "LOCKED";

export interface ThemeRecord {
  id: number;
  name: string;
  role: ThemeRole;
  /** Theme files by name (config/settings_data.json, …): text content and last change. */
  files: Map<string, { content: string; updatedAt: number }>;
}

/**
 * A live theme's config/settings_data.json as Shopify writes it: a generated comment first, then
 * the current settings, where the theme editor keeps app embeds as blocks of type
 * shopify://apps/<app handle>/blocks/<block handle>/<extension uuid>, with `disabled` when off.
 */
const SETTINGS_DATA_HEADER = `/*
 * ------------------------------------------------------------
 * IMPORTANT: The contents of this file are auto-generated.
 *
 * This file may be updated by the Shopify admin theme editor
 * or related systems. Please exercise caution as any changes
 * made to this file may be overwritten.
 * ------------------------------------------------------------
 */
`;

const settingsData = (blocks: Record<string, unknown>) =>
  SETTINGS_DATA_HEADER +
  JSON.stringify(
    { current: { type_header_font: "assistant_n4", blocks }, presets: { Default: {} } },
    null,
    2,
  );

/** A product to load; one without `collectionIds` is in no collection. */
export type ProductInput = Omit<ProductRecord, "collectionIds"> & { collectionIds?: number[] };

let eventCounter = 0;
const newEventId = () => `stand-in-event-${Date.now().toString(36)}-${++eventCounter}`;

const uniqueTags = (tags: string[]) => {
  const seen = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()];
};

/**
 * A shop's data in memory. Mutation helpers keep derived data consistent, bump `updatedAt` and
 * announce the change (as Shopify's webhooks would) to subscribers.
 */
export class Store {
  readonly customers = new Map<number, CustomerRecord>();
  readonly orders = new Map<number, OrderRecord>();
  readonly products = new Map<number, ProductRecord>();
  readonly variants = new Map<number, VariantRecord>();
  readonly collections = new Map<number, CollectionRecord>();
  readonly metafields = new Map<number, MetafieldRecord>();
  readonly segments = new Map<number, SegmentRecord>();
  /** The online store's themes: one live (MAIN) theme, without app embeds, to begin with. */
  readonly themes = new Map<number, ThemeRecord>();
  /** Shopify Flow trigger calls the app made and Flow accepted, oldest first. */
  readonly flowTriggers: FlowTriggerRecord[] = [];
  /** The app's web pixel (webPixelCreate), with the settings the app gave it; null: none. */
  webPixel: WebPixelRecord | null = null;
  /** Shopify Email campaigns the shop sent (none: the shop does not use Shopify Email). */
  readonly emailActivities = new Map<number, EmailActivityRecord>();
  /** Each customer's Shopify Email events, by customer id, in the order they happened. */
  readonly emailEvents = new Map<number, EmailEventRecord[]>();
  private readonly ordersByCustomer = new Map<number, number[]>();
  private readonly listeners = new Set<ChangeListener>();
  private nextIds = new Map<string, number>();
  private orderNumber = 1000;
  /**
   * Bumped by every insert and change made through this class; caches of large sorted lists
   * (views.ts) are valid only for the revision they were built at.
   */
  revision = 0;
  private readonly listCache = new Map<string, { revision: number; items: unknown[] }>();
  /** Milliseconds since the epoch; replace for replayable time. */
  clock: () => number = () => Date.now();

  constructor(
    public shop: ShopInfo = {
      name: "Stand-in Store",
      domain: "stand-in.myshopify.com",
      currencyCode: "USD",
      ianaTimezone: "UTC",
      plusPlan: false,
    },
  ) {
    const id = this.newId("OnlineStoreTheme");
    this.themes.set(id, {
      id,
      name: "Dawn",
      role: "MAIN",
      files: new Map([
        ["config/settings_data.json", { content: settingsData({}), updatedAt: this.clock() }],
      ]),
    });
  }

  // ---- themes ----------------------------------------------------------------------------

  /** The live theme (role MAIN). */
  mainTheme(): ThemeRecord {
    const main = [...this.themes.values()].find((theme) => theme.role === "MAIN");
    if (!main) throw new StoreError("the store has no live theme");
    return main;
  }

  /** Writes a theme file, as the theme editor or code editor does. */
  putThemeFile(themeId: number, filename: string, content: string) {
    const theme = this.themes.get(themeId);
    if (!theme) throw new StoreError(`no theme ${themeId}`);
    theme.files.set(filename, { content, updatedAt: this.clock() });
  }

  /**
   * Turns an app embed on or off in the live theme, as the merchant does in the theme editor's
   * App embeds panel: `type` is shopify://apps/<app handle>/blocks/<block handle>/<uuid>.
   */
  setAppEmbed(type: string, enabled: boolean) {
    const theme = this.mainTheme();
    const file = theme.files.get("config/settings_data.json");
    const json = JSON.parse(
      (file?.content ?? settingsData({})).replace(/^\s*\/\*[\s\S]*?\*\/\s*/, ""),
    ) as { current: { blocks?: Record<string, { type: string; disabled?: boolean }> } };
    const blocks = (json.current.blocks ??= {});
    const key = Object.keys(blocks).find((id) => blocks[id].type === type) ?? String(Date.now());
    blocks[key] = { type, disabled: !enabled, settings: {} } as { type: string; disabled: boolean };
    this.putThemeFile(
      theme.id,
      "config/settings_data.json",
      SETTINGS_DATA_HEADER + JSON.stringify(json, null, 2),
    );
  }

  // ---- ids -------------------------------------------------------------------------------

  /** A fresh numeric id for a resource type, above every id already in the store. */
  newId(type: string): number {
    const base = ID_BASES[type] ?? 9_000_000_000_000;
    const next = Math.max(this.nextIds.get(type) ?? base, base) + 1;
    this.nextIds.set(type, next);
    return next;
  }

  private noteId(type: string, id: number) {
    if (id > (this.nextIds.get(type) ?? 0)) this.nextIds.set(type, id);
  }

  // ---- loading (no webhooks: used by the generator and seed reader) ---------------------

  insertProduct(input: ProductInput) {
    this.revision++;
    // The same object is kept (callers may hold it), completed with an empty membership.
    input.collectionIds ??= [];
    const product = input as ProductRecord;
    for (const collectionId of product.collectionIds)
      if (!this.collections.has(collectionId))
        throw new StoreError(`Product ${product.id} is in unknown collection ${collectionId}`);
    this.products.set(product.id, product);
    this.noteId("Product", product.id);
    for (const variant of product.variants) {
      this.variants.set(variant.id, variant);
      this.noteId("ProductVariant", variant.id);
    }
  }

  insertCollection(collection: CollectionRecord) {
    this.revision++;
    this.collections.set(collection.id, collection);
    this.noteId("Collection", collection.id);
  }

  insertCustomer(customer: CustomerRecord) {
    this.revision++;
    this.customers.set(customer.id, customer);
    this.noteId("Customer", customer.id);
  }

  insertOrder(order: OrderRecord) {
    this.revision++;
    if (order.customerId !== null && !this.customers.has(order.customerId))
      throw new StoreError(`Order ${order.id} refers to unknown customer ${order.customerId}`);
    this.orders.set(order.id, order);
    this.noteId("Order", order.id);
    for (const line of order.lineItems) this.noteId("LineItem", line.id);
    if (order.number > this.orderNumber) this.orderNumber = order.number;
    if (order.customerId !== null) {
      const list = this.ordersByCustomer.get(order.customerId);
      if (list) list.push(order.id);
      else this.ordersByCustomer.set(order.customerId, [order.id]);
    }
  }

  insertEmailActivity(activity: EmailActivityRecord) {
    this.revision++;
    this.emailActivities.set(activity.id, activity);
    this.noteId("MarketingActivity", activity.id);
  }

  /** Records a Shopify Email event of a customer (Shopify sends no webhook for these). */
  insertEmailEvent(customerId: number, event: EmailEventRecord) {
    this.customer(customerId);
    if (!this.emailActivities.has(event.activityId))
      throw new StoreError(`No Shopify Email activity ${event.activityId}`);
    this.revision++;
    const events = this.emailEvents.get(customerId);
    if (events) events.push(event);
    else this.emailEvents.set(customerId, [event]);
  }

  // ---- reading ---------------------------------------------------------------------------

  /**
   * A filtered, sorted list built at most once per revision when it is long: paging 100k
   * customers would otherwise filter and sort the whole store for every page. `key` names
   * everything the list depends on besides the store's records.
   */
  cachedList<T>(key: string, build: () => T[]): T[] {
    const hit = this.listCache.get(key);
    if (hit && hit.revision === this.revision) return hit.items as T[];
    const items = build();
    if (items.length >= CACHED_LIST_MIN_LENGTH) {
      if (this.listCache.size >= 8) this.listCache.delete(this.listCache.keys().next().value!);
      this.listCache.set(key, { revision: this.revision, items });
    }
    return items;
  }

  ordersOf(customerId: number): OrderRecord[] {
    const ids = this.ordersByCustomer.get(customerId) ?? [];
    return ids.map((id) => this.orders.get(id)!).sort((a, b) => a.id - b.id);
  }

  /** Shopify's lifetime aggregates: every non-test order counts, spend excludes cancelled. */
  customerStats(customerId: number) {
    let numberOfOrders = 0;
    let amountSpentCents = 0;
    let lastOrder: OrderRecord | null = null;
    for (const id of this.ordersByCustomer.get(customerId) ?? []) {
      const order = this.orders.get(id)!;
      if (order.test) continue;
      numberOfOrders++;
      if (order.cancelledAt === null) amountSpentCents += order.totalCents;
      if (!lastOrder || order.processedAt > lastOrder.processedAt) lastOrder = order;
    }
    return { numberOfOrders, amountSpentCents, lastOrder };
  }

  customer(id: number): CustomerRecord {
    const customer = this.customers.get(id);
    if (!customer) throw new StoreError(`No customer ${id}`);
    return customer;
  }

  order(id: number): OrderRecord {
    const order = this.orders.get(id);
    if (!order) throw new StoreError(`No order ${id}`);
    return order;
  }

  // ---- change announcements ----------------------------------------------------------

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(eventId: string, ...changes: { topic: string; payload: unknown }[]) {
    const triggeredAt = this.clock();
    for (const change of changes)
      for (const listener of this.listeners) listener({ ...change, eventId, triggeredAt });
  }

  /** Announces an arbitrary topic (bulk_operations/finish, app/uninstalled…). */
  emit(topic: string, payload: unknown) {
    this.announce(newEventId(), { topic, payload });
  }

  /** A strictly later timestamp than `previous`, so updated_at filters always see a change. */
  private touch(previous: number) {
    this.revision++;
    return Math.max(this.clock(), previous + 1);
  }

  // ---- customers ---------------------------------------------------------------------

  createCustomer(input: CustomerChanges & { createdAt?: number } = {}): CustomerRecord {
    const now = input.createdAt ?? this.clock();
    const id = this.newId("Customer");
    const customer: CustomerRecord = {
      id,
      firstName: input.firstName ?? "New",
      lastName: input.lastName ?? `Customer ${id}`,
      email: input.email ?? `customer${id}@example.com`,
      createdAt: now,
      updatedAt: now,
      tags: uniqueTags(input.tags ?? []),
      address: input.address ?? null,
      marketingState: input.marketingState ?? "NOT_SUBSCRIBED",
    };
    this.insertCustomer(customer);
    this.announce(newEventId(), {
      topic: "customers/create",
      payload: customerPayload(this, customer),
    });
    return customer;
  }

  updateCustomer(id: number, changes: CustomerChanges): CustomerRecord {
    const customer = this.customer(id);
    const before = customer.tags;
    if (changes.firstName !== undefined) customer.firstName = changes.firstName;
    if (changes.lastName !== undefined) customer.lastName = changes.lastName;
    if (changes.email !== undefined) customer.email = changes.email;
    if (changes.address !== undefined) customer.address = changes.address;
    if (changes.marketingState !== undefined) customer.marketingState = changes.marketingState;
    if (changes.tags !== undefined) customer.tags = uniqueTags(changes.tags);
    customer.updatedAt = this.touch(customer.updatedAt);
    const lower = (tags: string[]) => new Set(tags.map((tag) => tag.toLowerCase()));
    const beforeSet = lower(before);
    const afterSet = lower(customer.tags);
    const added = customer.tags.filter((tag) => !beforeSet.has(tag.toLowerCase()));
    const removed = before.filter((tag) => !afterSet.has(tag.toLowerCase()));
    this.announce(newEventId(), ...this.tagChanges(customer, added, removed), {
      topic: "customers/update",
      payload: customerPayload(this, customer),
    });
    return customer;
  }

  /** tagsAdd semantics: additive, case-insensitive; returns the tags actually added. */
  addCustomerTags(id: number, tags: string[]): string[] {
    const customer = this.customer(id);
    const have = new Set(customer.tags.map((tag) => tag.toLowerCase()));
    const added = uniqueTags(tags).filter((tag) => !have.has(tag.toLowerCase()));
    if (customer.tags.length + added.length > 250)
      throw new StoreError("Tags cannot be more than 250");
    if (added.length === 0) return [];
    customer.tags = [...customer.tags, ...added];
    customer.updatedAt = this.touch(customer.updatedAt);
    this.announce(newEventId(), ...this.tagChanges(customer, added, []), {
      topic: "customers/update",
      payload: customerPayload(this, customer),
    });
    return added;
  }

  /** tagsRemove semantics: removes only the listed tags; returns the tags actually removed. */
  removeCustomerTags(id: number, tags: string[]): string[] {
    const customer = this.customer(id);
    const drop = new Set(tags.map((tag) => tag.trim().toLowerCase()));
    const removed = customer.tags.filter((tag) => drop.has(tag.toLowerCase()));
    if (removed.length === 0) return [];
    customer.tags = customer.tags.filter((tag) => !drop.has(tag.toLowerCase()));
    customer.updatedAt = this.touch(customer.updatedAt);
    this.announce(newEventId(), ...this.tagChanges(customer, [], removed), {
      topic: "customers/update",
      payload: customerPayload(this, customer),
    });
    return removed;
  }

  private tagChanges(customer: CustomerRecord, added: string[], removed: string[]) {
    const at = this.clock();
    const changes: { topic: string; payload: unknown }[] = [];
    if (added.length)
      changes.push({
        topic: "customer.tags_added",
        payload: customerTagsPayload(customer, added, at),
      });
    if (removed.length)
      changes.push({
        topic: "customer.tags_removed",
        payload: customerTagsPayload(customer, removed, at),
      });
    return changes;
  }

  /** Deletes a customer; their orders stay, without a customer (as after a GDPR erase). */
  deleteCustomer(id: number) {
    const customer = this.customer(id);
    const eventId = newEventId();
    const orderChanges: { topic: string; payload: unknown }[] = [];
    for (const order of this.ordersOf(id)) {
      order.customerId = null;
      order.updatedAt = this.touch(order.updatedAt);
      orderChanges.push({ topic: "orders/updated", payload: orderPayload(this, order) });
    }
    this.ordersByCustomer.delete(id);
    this.emailEvents.delete(id);
    this.customers.delete(id);
    this.revision++;
    this.announce(
      eventId,
      {
        topic: "customers/delete",
        payload: {
          id: customer.id,
          tax_exemptions: [],
          admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
        },
      },
      ...orderChanges,
    );
  }

  /**
   * Merges `mergedId` into `keptId` like Shopify's customer merge: orders and tags move to the
   * kept customer, the other customer is deleted.
   */
  mergeCustomers(keptId: number, mergedId: number): CustomerRecord {
    if (keptId === mergedId) throw new StoreError("Cannot merge a customer into itself");
    const kept = this.customer(keptId);
    const merged = this.customer(mergedId);
    const eventId = newEventId();
    const changes: { topic: string; payload: unknown }[] = [];
    const moved = this.ordersOf(mergedId);
    for (const order of moved) {
      order.customerId = keptId;
      order.updatedAt = this.touch(order.updatedAt);
      changes.push({ topic: "orders/updated", payload: orderPayload(this, order) });
    }
    this.ordersByCustomer.set(keptId, [
      ...(this.ordersByCustomer.get(keptId) ?? []),
      ...moved.map((order) => order.id),
    ]);
    this.ordersByCustomer.delete(mergedId);
    const mergedEvents = this.emailEvents.get(mergedId) ?? [];
    this.emailEvents.delete(mergedId);
    if (mergedEvents.length > 0)
      this.emailEvents.set(keptId, [...(this.emailEvents.get(keptId) ?? []), ...mergedEvents]);
    const added = uniqueTags([...kept.tags, ...merged.tags]).slice(kept.tags.length);
    kept.tags = [...kept.tags, ...added];
    kept.updatedAt = this.touch(kept.updatedAt);
    this.customers.delete(mergedId);
    this.announce(
      eventId,
      {
        topic: "customers/merge",
        payload: {
          admin_graphql_api_customer_kept_id: `gid://shopify/Customer/${keptId}`,
          admin_graphql_api_customer_deleted_id: `gid://shopify/Customer/${mergedId}`,
          admin_graphql_api_job_id: null,
          status: "completed",
          errors: [],
        },
      },
      {
        topic: "customers/delete",
        payload: {
          id: mergedId,
          tax_exemptions: [],
          admin_graphql_api_id: `gid://shopify/Customer/${mergedId}`,
        },
      },
      ...this.tagChanges(kept, added, []),
      { topic: "customers/update", payload: customerPayload(this, kept) },
      ...changes,
    );
    return kept;
  }

  // ---- orders ------------------------------------------------------------------------

  createOrder(input: NewOrder): OrderRecord {
    if (input.lines.length === 0) throw new StoreError("An order needs at least one line");
    const customerId = input.customerId ?? null;
    const customer = customerId === null ? null : this.customer(customerId);
    const now = this.clock();
    const processedAt = input.processedAt ?? now;
    const lineItems: LineItemRecord[] = input.lines.map((line) => {
      const variant = this.variants.get(line.variantId);
      if (!variant) throw new StoreError(`No product variant ${line.variantId}`);
      if (!Number.isInteger(line.quantity) || line.quantity < 1)
        throw new StoreError(`Quantity must be a positive integer, got ${line.quantity}`);
      const product = this.products.get(variant.productId)!;
      return {
        id: this.newId("LineItem"),
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        quantity: line.quantity,
        unitPriceCents: variant.priceCents,
      };
    });
    const subtotalCents = lineItems.reduce(
      (sum, line) => sum + line.quantity * line.unitPriceCents,
      0,
    );
    const discountCents = input.discountCode
      ? Math.round((subtotalCents * (input.discountPercent ?? 10)) / 100)
      : 0;
    const shippingCents = input.shippingCents ?? 0;
    const order: OrderRecord = {
      id: this.newId("Order"),
      number: ++this.orderNumber,
      customerId,
      createdAt: now,
      processedAt,
      updatedAt: now,
      cancelledAt: null,
      cancelReason: null,
      test: input.test ?? false,
      subtotalCents,
      discountCents,
      shippingCents,
      totalCents: subtotalCents - discountCents + shippingCents,
      discountCodes: input.discountCode ? [input.discountCode] : [],
      sourceName: input.sourceName ?? "web",
      shippingAddress:
        input.shippingAddress !== undefined ? input.shippingAddress : (customer?.address ?? null),
      tags: uniqueTags(input.tags ?? []),
      lineItems,
    };
    this.insertOrder(order);
    const changes: { topic: string; payload: unknown }[] = [
      { topic: "orders/create", payload: orderPayload(this, order) },
    ];
    if (customer) {
      customer.updatedAt = this.touch(customer.updatedAt);
      changes.push({ topic: "customers/update", payload: customerPayload(this, customer) });
    }
    this.announce(newEventId(), ...changes);
    return order;
  }

  updateOrder(id: number, changes: OrderChanges): OrderRecord {
    const order = this.order(id);
    if (changes.tags !== undefined) order.tags = uniqueTags(changes.tags);
    if (changes.shippingAddress !== undefined) order.shippingAddress = changes.shippingAddress;
    if (changes.processedAt !== undefined) order.processedAt = changes.processedAt;
    if (changes.test !== undefined) order.test = changes.test;
    order.updatedAt = this.touch(order.updatedAt);
    this.announce(newEventId(), { topic: "orders/updated", payload: orderPayload(this, order) });
    return order;
  }

  cancelOrder(id: number, reason = "customer"): OrderRecord {
    const order = this.order(id);
    if (order.cancelledAt !== null) throw new StoreError(`Order ${id} is already cancelled`);
    order.cancelledAt = this.clock();
    order.cancelReason = reason;
    order.updatedAt = this.touch(order.updatedAt);
    const changes: { topic: string; payload: unknown }[] = [
      { topic: "orders/cancelled", payload: orderPayload(this, order) },
      { topic: "orders/updated", payload: orderPayload(this, order) },
    ];
    if (order.customerId !== null) {
      const customer = this.customer(order.customerId);
      customer.updatedAt = this.touch(customer.updatedAt);
      changes.push({ topic: "customers/update", payload: customerPayload(this, customer) });
    }
    this.announce(newEventId(), ...changes);
    return order;
  }

  deleteOrder(id: number) {
    const order = this.order(id);
    this.orders.delete(id);
    this.revision++;
    if (order.customerId !== null) {
      const list = this.ordersByCustomer.get(order.customerId) ?? [];
      this.ordersByCustomer.set(
        order.customerId,
        list.filter((orderId) => orderId !== id),
      );
    }
    this.announce(newEventId(), { topic: "orders/delete", payload: { id: order.id } });
  }

  // ---- products ----------------------------------------------------------------------

  updateProduct(
    id: number,
    changes: Partial<Pick<ProductRecord, "title" | "status" | "tags" | "productType" | "vendor">>,
  ): ProductRecord {
    const product = this.products.get(id);
    if (!product) throw new StoreError(`No product ${id}`);
    Object.assign(product, changes);
    product.updatedAt = this.touch(product.updatedAt);
    this.announce(newEventId(), {
      topic: "products/update",
      payload: productPayload(product),
    });
    return product;
  }

  // ---- collections -------------------------------------------------------------------

  createCollection(title: string): CollectionRecord {
    const now = this.clock();
    const collection: CollectionRecord = {
      id: this.newId("Collection"),
      title,
      handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      createdAt: now,
      updatedAt: now,
    };
    this.insertCollection(collection);
    return collection;
  }

  /**
   * Adds products to a custom collection (collectionAddProducts). Each product that joins gets a
   * new `updatedAt` and a products/update webhook (REST payload: no collections in it), which is
   * what lets an updated_at reconciliation notice the change; see the README.
   */
  addProductsToCollection(collectionId: number, productIds: number[]) {
    this.changeMembership(collectionId, productIds, (product) => {
      if (product.collectionIds.includes(collectionId)) return false;
      product.collectionIds.push(collectionId);
      return true;
    });
  }

  /** Removes products from a custom collection (collectionRemoveProducts); see above. */
  removeProductsFromCollection(collectionId: number, productIds: number[]) {
    this.changeMembership(collectionId, productIds, (product) => {
      const index = product.collectionIds.indexOf(collectionId);
      if (index === -1) return false;
      product.collectionIds.splice(index, 1);
      return true;
    });
  }

  private changeMembership(
    collectionId: number,
    productIds: number[],
    change: (product: ProductRecord) => boolean,
  ) {
    const collection = this.collections.get(collectionId);
    if (!collection) throw new StoreError(`No collection ${collectionId}`);
    const products = productIds.map((id) => {
      const product = this.products.get(id);
      if (!product) throw new StoreError(`No product ${id}`);
      return product;
    });
    const changed = products.filter(change);
    if (changed.length === 0) return;
    collection.updatedAt = this.touch(collection.updatedAt);
    for (const product of changed) product.updatedAt = this.touch(product.updatedAt);
    this.announce(
      newEventId(),
      ...changed.map((product) => ({
        topic: "products/update",
        payload: productPayload(product),
      })),
    );
  }

  /** The products in a collection, by id. */
  productsIn(collectionId: number): ProductRecord[] {
    return [...this.products.values()]
      .filter((product) => product.collectionIds.includes(collectionId))
      .sort((a, b) => a.id - b.id);
  }

  // ---- summary -----------------------------------------------------------------------

  counts() {
    let lineItems = 0;
    for (const order of this.orders.values()) lineItems += order.lineItems.length;
    return {
      customers: this.customers.size,
      orders: this.orders.size,
      lineItems,
      products: this.products.size,
      variants: this.variants.size,
      collections: this.collections.size,
    };
  }
}

/** Realistic-looking id ranges per type (Shopify ids are large integers). */
const ID_BASES: Record<string, number> = {
  OnlineStoreTheme: 140_000_000_000,
  Customer: 7_100_000_000_000,
  Order: 5_600_000_000_000,
  LineItem: 14_300_000_000_000,
  Product: 8_200_000_000_000,
  ProductVariant: 44_000_000_000_000,
  Collection: 4_700_000_000_000,
  Metafield: 30_000_000_000_000,
  Segment: 500_000_000_000,
  MarketingActivity: 3_300_000_000,
  BulkOperation: 4_100_000_000_000,
  WebhookSubscription: 1_400_000_000_000,
  AppInstallation: 600_000_000_000,
  MailingAddress: 9_500_000_000_000,
};

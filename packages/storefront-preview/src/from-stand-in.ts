// The storefront data as the Shopify stand-in holds it after `publish`: the bars app-data
// metafield, every product's $app upsell list and repurchase interval, the catalog they point
// into, a returning customer's orders, and the app's web pixel with its settings once the app
// connected it. This is what the demo renders, so the preview shows what Shopify would serve,
// not what the app meant to write.
import { expandAppNamespace, type Store } from "@persegment/shopify-stand-in";
import { DEFAULT_DUE_OPTIONS, dueProducts } from "~/domain/buy-again/dueness";
import type { PreviewOrder, PublishedStorefront } from "./render";

/** Liquid's customer.orders holds the 20 most recent orders. */
const ORDERS_PER_PAGE = 20;

/** `apiKey`: the app's key the stand-in was started with (its `$app` namespaces use it). */
export function storefrontFromStandIn(store: Store, apiKey: string): PublishedStorefront {
  const appNamespace = expandAppNamespace(apiKey, "$app:persegment");
  const metafields = [...store.metafields.values()];
  const bars = metafields.find(
    (metafield) =>
      metafield.ownerGid.startsWith("gid://shopify/AppInstallation/") &&
      metafield.namespace === "persegment" &&
      metafield.key === "bars",
  );
  const productValues = (key: string) =>
    metafields
      .filter((metafield) => metafield.namespace === appNamespace && metafield.key === key)
      .map((metafield) => [metafield.ownerGid, JSON.parse(metafield.value)] as const);
  const repurchaseDays: Record<string, number> = Object.fromEntries(
    productValues("repurchase_days"),
  );
  return {
    shopName: store.shop.name,
    shopDomain: store.shop.domain,
    webPixel: store.webPixel ? { settings: { ...store.webPixel.settings } } : null,
    bars: bars ? JSON.parse(bars.value) : null,
    upsells: Object.fromEntries(productValues("upsells")),
    repurchaseDays,
    returningCustomerOrders: returningCustomerOrders(store, repurchaseDays),
    products: [...store.products.values()].map((product) => ({
      id: `gid://shopify/Product/${product.id}`,
      handle: product.handle,
      title: product.title,
      priceCents: product.variants.length
        ? Math.min(...product.variants.map((variant) => variant.priceCents))
        : 0,
      available: product.status === "ACTIVE",
      imageUrl: `/images/${product.id}.svg`,
    })),
  };
}

/** Chosen again only when the store changed (the demo renders every request from here). */
const chosenByStore = new WeakMap<
  Store,
  { revision: number; key: string; orders: PreviewOrder[] }
>();

/**
 * The orders Liquid would show the `returning` persona (the 20 most recent, newest first): those
 * of the customer who bought one product with an interval in the most uncancelled orders (ties:
 * the lower id) among the customers with something due by the store's clock, as the block ranks
 * it with its default settings; none when no customer has anything due.
 */
function returningCustomerOrders(store: Store, repurchaseDays: Record<string, number>) {
  const key = JSON.stringify(repurchaseDays);
  const cached = chosenByStore.get(store);
  if (cached && cached.revision === store.revision && cached.key === key) return cached.orders;
  const counts = new Map<string, { customerId: number; orders: number }>();
  for (const order of store.orders.values()) {
    if (order.customerId === null || order.cancelledAt !== null) continue;
    for (const productId of new Set(order.lineItems.map((line) => productGid(line.productId)))) {
      if (!(productId in repurchaseDays)) continue;
      const countKey = `${order.customerId} ${productId}`;
      const entry = counts.get(countKey) ?? { customerId: order.customerId, orders: 0 };
      counts.set(countKey, { ...entry, orders: entry.orders + 1 });
    }
  }
  const intervals = new Map(Object.entries(repurchaseDays));
  const now = new Date(store.clock());
  const active = (gid: string) =>
    store.products.get(Number(gid.split("/").pop()))?.status === "ACTIVE";
  const candidates = [...counts.values()].sort(
    (a, b) => b.orders - a.orders || a.customerId - b.customerId,
  );
  let orders: PreviewOrder[] = [];
  for (const customerId of new Set(candidates.map((candidate) => candidate.customerId))) {
    const recent = liquidOrders(store, customerId);
    const pastOrders = recent.map((order) => ({ ...order, createdAt: new Date(order.createdAt) }));
    if (dueProducts(pastOrders, intervals, active, now, DEFAULT_DUE_OPTIONS).length) {
      orders = recent;
      break;
    }
  }
  chosenByStore.set(store, { revision: store.revision, key, orders });
  return orders;
}

const productGid = (id: number | null) => `gid://shopify/Product/${id}`;

/** The customer's orders as Liquid's customer.orders holds them: the 20 most recent, newest first. */
function liquidOrders(store: Store, customerId: number): PreviewOrder[] {
  return store
    .ordersOf(customerId)
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, ORDERS_PER_PAGE)
    .map((order) => ({
      createdAt: new Date(order.createdAt).toISOString(),
      cancelled: order.cancelledAt !== null,
      // The stand-in keeps no payments: a cancelled order counts as refunded.
      financialStatus: order.cancelledAt === null ? "paid" : "refunded",
      lines: order.lineItems
        .filter((line) => line.productId !== null)
        .map((line) => ({
          productId: productGid(line.productId),
          quantity: line.quantity,
          giftCard: store.products.get(line.productId!)?.giftCard ?? false,
        })),
    }));
}

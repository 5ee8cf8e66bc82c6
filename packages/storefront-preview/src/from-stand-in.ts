// The storefront data as the Shopify stand-in holds it after `publish`: the bars app-data
// metafield, every product's $app upsell list and repurchase interval, the catalog they point
// into, and a returning customer's orders. This is what the demo renders, so the preview shows
// what Shopify would serve, not what the app meant to write.
import { expandAppNamespace, type Store } from "@persegment/shopify-stand-in";
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
    bars: bars ? JSON.parse(bars.value) : null,
    upsells: Object.fromEntries(productValues("upsells")),
    repurchaseDays,
    returningCustomerOrders: returningCustomerOrders(store, new Set(Object.keys(repurchaseDays))),
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

/**
 * The orders Liquid would show the `returning` persona: those of the customer who bought one
 * product with an interval in the most uncancelled orders (ties: the lower id), newest first.
 */
function returningCustomerOrders(store: Store, replenishable: Set<string>): PreviewOrder[] {
  const productGid = (id: number | null) => `gid://shopify/Product/${id}`;
  const counts = new Map<string, { customerId: number; orders: number }>();
  for (const order of store.orders.values()) {
    if (order.customerId === null || order.cancelledAt !== null) continue;
    for (const productId of new Set(order.lineItems.map((line) => productGid(line.productId)))) {
      if (!replenishable.has(productId)) continue;
      const key = `${order.customerId} ${productId}`;
      const entry = counts.get(key) ?? { customerId: order.customerId, orders: 0 };
      counts.set(key, { ...entry, orders: entry.orders + 1 });
    }
  }
  const [customer] = [...counts.values()].sort(
    (a, b) => b.orders - a.orders || a.customerId - b.customerId,
  );
  if (!customer) return [];
  return store
    .ordersOf(customer.customerId)
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

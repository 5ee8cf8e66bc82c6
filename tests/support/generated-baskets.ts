// A generated store's orders and products as the recommender reads them after a sync (counted
// orders, active products with their type and collections), without a database in between.
import { BasketLog } from "~/domain/upsell/basket-log";
import { catalogOf } from "~/domain/upsell/co-occurrence";
import type { Store } from "@persegment/shopify-stand-in";

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

export function generatedBaskets(store: Store): BasketLog {
  const log = new BasketLog();
  for (const order of store.orders.values())
    if (order.cancelledAt === null && !order.test)
      log.add(
        order.processedAt,
        order.lineItems
          .filter((line) => line.productId !== null)
          .map((line) => gid("Product", line.productId!)),
      );
  return log;
}

export function generatedCatalog(store: Store, excluded: ReadonlySet<string> = new Set()) {
  return catalogOf(
    [...store.products.values()]
      .filter((product) => product.status === "ACTIVE")
      .map((product) => ({
        id: gid("Product", product.id),
        productType: product.productType,
        collections: product.collectionIds.map((id) => gid("Collection", id)).join(","),
      })),
    excluded,
  );
}

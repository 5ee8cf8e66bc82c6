// A generated purchase history (tests/support/predictions-store.ts) as the shop's rows: one
// customer per history and one order per purchase, shaped as sync stores them, in a shop that
// is installed and whose time zone is known (so nothing asks Shopify for it).
import type { Purchase } from "~/domain/predictions";
import prisma from "~/db.server";
import { recordInstall, recordShopLocale } from "~/models/shop.server";
import { APP_SCOPES } from "./shopify-requests";
import { customerGid, insertCustomers, insertOrders, orderGid } from "./store-rows";

/** The store's customer key ("c12") as the customer's GID. */
export const gidOf = (key: string) => customerGid(key.replace(/\D/g, "") || key);

export async function insertPurchaseStore(
  shop: string,
  store: ReadonlyMap<string, readonly Purchase[]>,
  timeZone = "UTC",
) {
  await recordInstall(shop, APP_SCOPES);
  await recordShopLocale(shop, { ianaTimezone: timeZone, currencyCode: "EUR" });
  await insertCustomers(
    shop,
    [...store.keys()].map((key) => ({ id: gidOf(key) })),
  );
  let n = 0;
  await insertOrders(
    shop,
    [...store].flatMap(([key, purchases]) =>
      purchases.map((purchase) => ({
        id: orderGid(++n),
        customerId: gidOf(key),
        processedAt: purchase.at,
        totalCents: Math.round(purchase.value * 100),
      })),
    ),
  );
}

/** The histories as the database holds them (values in cents): what a refresh should read. */
export function inCents(store: ReadonlyMap<string, readonly Purchase[]>) {
  return new Map(
    [...store].map(([key, purchases]) => [
      gidOf(key),
      purchases.map((purchase) => ({ at: purchase.at, value: Math.round(purchase.value * 100) })),
    ]),
  );
}

export async function storedPredictions(shop: string) {
  return prisma.customerPrediction.findMany({ where: { shop }, orderBy: { customerId: "asc" } });
}

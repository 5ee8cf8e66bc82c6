/**
 * A shop's time zone and currency, the one place admin pages read them from: stored on the Shop
 * once read from Shopify (`shop { ianaTimezone currencyCode }`), read again only while unknown.
 */
import { logger } from "~/logger.server";
import { findShop, recordShopLocale } from "~/models/shop.server";
import { SHOP_LOCALE } from "~/shopify/operations/shop-locale";
import { gatewayForShop } from "./access.server";

export interface ShopLocale {
  /** IANA zone, e.g. "Europe/Berlin"; "UTC" while Shopify could not be asked. */
  timeZone: string;
  currencyCode: string;
  /** False when the time zone is a fallback (Shopify did not answer yet). */
  timeZoneKnown: boolean;
}

function validTimeZone(zone: string) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The shop's time zone and currency for display. The first call for a shop asks Shopify and
 * stores the answer; if Shopify cannot be reached the page still renders, in UTC.
 */
export async function shopTimeZoneAndCurrency(shop: string): Promise<ShopLocale> {
  const stored = await findShop(shop);
  const currencyCode = stored?.currencyCode ?? "USD";
  if (stored?.ianaTimezone)
    return { timeZone: stored.ianaTimezone, currencyCode, timeZoneKnown: true };
  try {
    const gateway = await gatewayForShop(shop, { maxAttempts: 2, baseDelayMs: 200 });
    const { shop: info } = await gateway.request<{
      shop: { ianaTimezone: string; currencyCode: string };
    }>(SHOP_LOCALE);
    if (!validTimeZone(info.ianaTimezone))
      throw new Error(`unknown time zone "${info.ianaTimezone}"`);
    await recordShopLocale(shop, info);
    return { timeZone: info.ianaTimezone, currencyCode: info.currencyCode, timeZoneKnown: true };
  } catch (error) {
    logger.warn({ shop, err: error }, "could not read the shop's time zone; showing UTC");
    return { timeZone: "UTC", currencyCode, timeZoneKnown: false };
  }
}

/**
 * The shop's own way of showing times and money, the one place pages read it from: its time zone
 * and currency, stored on the Shop once Shopify reported them (the full sync stores them too) and
 * asked for again only while unknown. Pages format dates in `timeZone` and amounts in `currency`.
 */
import { isTimeZone } from "~/domain/dates";
import { logger } from "~/logger.server";
import { findShop, recordShopLocale } from "~/models/shop.server";
import { SHOP_PROFILE } from "~/shopify/operations/shop";
import { gatewayForShop } from "./access.server";

export interface ShopProfile {
  /** IANA time zone, e.g. "America/New_York"; "UTC" while Shopify could not be asked. */
  timeZone: string;
  /** ISO 4217 code, e.g. "EUR". */
  currency: string;
  /** False when Shopify could not be asked yet: UTC (and the stored or default currency). */
  fromShopify: boolean;
}

/** The shop's profile; when it is unknown and Shopify cannot be reached, UTC, marked so. */
export async function shopProfile(shop: string): Promise<ShopProfile> {
  const stored = await findShop(shop);
  const currency = stored?.currencyCode ?? "USD";
  if (stored?.ianaTimezone && isTimeZone(stored.ianaTimezone))
    return { timeZone: stored.ianaTimezone, currency, fromShopify: true };
  try {
    const gateway = await gatewayForShop(shop, { maxAttempts: 2, baseDelayMs: 200 });
    const { shop: info } = await gateway.request<{
      shop: { ianaTimezone: string; currencyCode: string };
    }>(SHOP_PROFILE);
    if (!isTimeZone(info.ianaTimezone)) throw new Error(`unknown time zone "${info.ianaTimezone}"`);
    await recordShopLocale(shop, info);
    return { timeZone: info.ianaTimezone, currency: info.currencyCode, fromShopify: true };
  } catch (error) {
    logger.warn({ shop, err: error }, "could not read the shop's time zone; showing UTC");
    return { timeZone: "UTC", currency, fromShopify: false };
  }
}

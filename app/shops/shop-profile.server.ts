/**
 * The shop's own way of showing times and money: its time zone and currency, read from Shopify
 * (`shop { ianaTimezone currencyCode }`) and kept in memory for an hour per process; nothing is
 * stored. Pages format dates in `timeZone` and amounts in `currency`.
 */
import { SHOP_PROFILE } from "~/shopify/operations/shop";
import { logger } from "~/logger.server";
import { gatewayForShop } from "./access.server";

export interface ShopProfile {
  name: string;
  /** IANA time zone, e.g. "America/New_York". */
  timeZone: string;
  /** ISO 4217 code, e.g. "EUR". */
  currency: string;
  /** False when Shopify could not be asked: UTC and the app's default currency are shown. */
  fromShopify: boolean;
}

const KEEP_MS = 60 * 60 * 1000;
const cache = new Map<string, { profile: ShopProfile; until: number }>();

/** The shop's profile; when Shopify cannot be reached, UTC and USD (not cached), marked so. */
export async function shopProfile(shop: string, now = Date.now()): Promise<ShopProfile> {
  const hit = cache.get(shop);
  if (hit && hit.until > now) return hit.profile;
  try {
    const gateway = await gatewayForShop(shop, { maxAttempts: 2 });
    const { shop: info } = await gateway.request<{
      shop: { name: string; ianaTimezone: string; currencyCode: string };
    }>(SHOP_PROFILE);
    const profile: ShopProfile = {
      name: info.name,
      timeZone: validTimeZone(info.ianaTimezone) ? info.ianaTimezone : "UTC",
      currency: info.currencyCode,
      fromShopify: true,
    };
    cache.set(shop, { profile, until: now + KEEP_MS });
    return profile;
  } catch (error) {
    logger.warn({ err: error, shop }, "could not read the shop's time zone and currency");
    return { name: shop, timeZone: "UTC", currency: "USD", fromShopify: false };
  }
}

/** Forgets the kept profile (tests; a shop/update webhook could call it). */
export function forgetShopProfile(shop: string) {
  cache.delete(shop);
}

function validTimeZone(timeZone: string) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

import prisma, { type RawDb } from "~/db.server";
import { execute, typed } from "./bulk-sql.server";
import {
  parseShopSettings,
  sameSettings,
  ShopSettingsSchema,
  type ShopSettings,
} from "~/domain/settings";

/** Called after OAuth / token exchange: (re)installs the shop. */
export async function recordInstall(domain: string, scopes: string, now = new Date()) {
  await prisma.shop.upsert({
    where: { domain },
    create: { domain, scopes, installedAt: now },
    update: { scopes, uninstalledAt: null, installedAt: now },
  });
}

export async function recordScopes(domain: string, scopes: string) {
  await prisma.shop.updateMany({ where: { domain }, data: { scopes } });
}

/** app/uninstalled: the shop stays (so a reinstall keeps its history) but loses its sessions. */
export async function markUninstalled(domain: string, now = new Date()) {
  await prisma.$transaction([
    prisma.shop.updateMany({ where: { domain }, data: { uninstalledAt: now } }),
    prisma.session.deleteMany({ where: { shop: domain } }),
  ]);
}

/** Which of these shops the app holds (installed once, not redacted since). */
export async function heldShops(domains: Iterable<string>) {
  const rows = await prisma.shop.findMany({
    where: { domain: { in: [...new Set(domains)] } },
    select: { domain: true },
  });
  return new Set(rows.map((row) => row.domain));
}

export async function findShop(domain: string) {
  return prisma.shop.findUnique({ where: { domain } });
}

export async function getShopSettings(domain: string): Promise<ShopSettings> {
  const shop = await prisma.shop.findUnique({ where: { domain }, select: { settings: true } });
  return parseShopSettings(shop?.settings ?? "{}");
}

export async function updateShopSettings(domain: string, changes: Partial<ShopSettings>) {
  const current = await getShopSettings(domain);
  const next = ShopSettingsSchema.parse({ ...current, ...changes });
  // The settings as they are already: nothing to write (not even updatedAt).
  if (sameSettings(current, next)) return next;
  await prisma.shop.update({ where: { domain }, data: { settings: JSON.stringify(next) } });
  return next;
}

/** "Remove everything" ran: background republishing must not put the metafields back. */
export async function pauseStorefrontPublishing(domain: string, now: Date) {
  await prisma.shop.updateMany({
    where: { domain, storefrontPausedAt: null },
    data: { storefrontPausedAt: now },
  });
}

/** The merchant published (or changed) the storefront again: background refreshes resume. */
export async function resumeStorefrontPublishing(domain: string) {
  await prisma.shop.updateMany({
    where: { domain, storefrontPausedAt: { not: null } },
    data: { storefrontPausedAt: null },
  });
}

export async function storefrontPublishingPaused(domain: string) {
  const shop = await prisma.shop.findUnique({
    where: { domain },
    select: { storefrontPausedAt: true },
  });
  return shop?.storefrontPausedAt != null;
}

/**
 * Records, in the recompute's own transaction, that the whole shop was recomputed as of `asOf`
 * (never moved back by a recompute of an earlier moment).
 */
export async function markShopRecomputed(db: RawDb, shop: string, asOf: Date) {
  await execute(
    db,
    `UPDATE "Shop" SET "recomputedAsOf" = ${typed("timestamp")}
     WHERE "domain" = ${typed("text")} AND ("recomputedAsOf" IS NULL OR "recomputedAsOf" < ${typed("timestamp")})`,
    [asOf, shop, asOf],
  );
}

/**
 * Installed shops (or just `shop`, if given) not recomputed as a whole since `since` (the start
 * of the current UTC day).
 */
export async function shopsRecomputedBefore(since: Date, shop?: string) {
  const shops = await prisma.shop.findMany({
    where: {
      ...(shop ? { domain: shop } : {}),
      uninstalledAt: null,
      OR: [{ recomputedAsOf: null }, { recomputedAsOf: { lt: since } }],
    },
    select: { domain: true },
  });
  return shops.map((shop) => shop.domain);
}

/** The daily Shopify Email check: whether the shop sends it, as of `at`. */
export async function recordEngagementCheck(domain: string, sendsShopifyEmail: boolean, at: Date) {
  await prisma.shop.updateMany({
    where: { domain },
    data: { sendsShopifyEmail, engagementCheckedAt: at },
  });
}

/** Installed shops whose Shopify Email activity was not checked since `since`. */
export async function engagementCheckedBefore(since: Date) {
  const shops = await prisma.shop.findMany({
    where: {
      uninstalledAt: null,
      OR: [{ engagementCheckedAt: null }, { engagementCheckedAt: { lt: since } }],
    },
    select: { domain: true },
  });
  return shops.map((shop) => shop.domain);
}

/** Installed shops (not uninstalled) that have an offline session: what scheduled jobs visit. */
export async function shopsToReconcile() {
  const sessions = await prisma.session.findMany({
    where: { isOnline: false },
    select: { shop: true },
    distinct: ["shop"],
  });
  const shops = await prisma.shop.findMany({
    where: { domain: { in: sessions.map((s) => s.shop) }, uninstalledAt: null },
    select: { domain: true },
  });
  return shops.map((s) => s.domain);
}

/** The shop's time zone and currency as Shopify reported them (app/shops/shop-profile.server.ts). */
export async function recordShopLocale(
  shop: string,
  locale: { ianaTimezone: string; currencyCode: string },
) {
  await prisma.shop.updateMany({ where: { domain: shop }, data: locale });
}

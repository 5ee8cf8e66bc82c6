import prisma from "~/db.server";

/** What was last written to each Shopify metafield, keyed `ownerId namespace key`. */
export interface PublishedDigest {
  ownerId: string;
  namespace: string;
  key: string;
  digest: string;
}

export const metafieldAddress = (entry: { ownerId: string; namespace: string; key: string }) =>
  `${entry.ownerId} ${entry.namespace} ${entry.key}`;

export async function loadPublishedDigests(shop: string): Promise<PublishedDigest[]> {
  return prisma.publishedMetafield.findMany({
    where: { shop },
    select: { ownerId: true, namespace: true, key: true, digest: true },
  });
}

export async function recordPublished(shop: string, entries: PublishedDigest[], now: Date) {
  await prisma.$transaction(
    entries.map(({ ownerId, namespace, key, digest }) =>
      prisma.publishedMetafield.upsert({
        where: { shop_ownerId_namespace_key: { shop, ownerId, namespace, key } },
        create: { shop, ownerId, namespace, key, digest, publishedAt: now },
        update: { digest, publishedAt: now },
      }),
    ),
  );
}

export async function forgetPublished(shop: string, entries: Omit<PublishedDigest, "digest">[]) {
  await prisma.$transaction(
    entries.map(({ ownerId, namespace, key }) =>
      prisma.publishedMetafield.deleteMany({ where: { shop, ownerId, namespace, key } }),
    ),
  );
}

export async function lastPublishedAt(shop: string): Promise<Date | null> {
  const latest = await prisma.publishedMetafield.aggregate({
    where: { shop },
    _max: { publishedAt: true },
  });
  return latest._max.publishedAt;
}

/** Installed shops that published their storefront at least once. */
export async function shopsUsingStorefront() {
  const rows = await prisma.publishedMetafield.findMany({
    where: { shop: { in: await installedShopDomains() } },
    distinct: ["shop"],
    select: { shop: true },
  });
  return rows.map((row) => row.shop);
}

async function installedShopDomains() {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null },
    select: { domain: true },
  });
  return shops.map((shop) => shop.domain);
}

/**
 * When each installed shop's metafield `namespace.key` was last written, for shops whose
 * storefront publishing is not paused.
 */
export async function publishedAtByShop(namespace: string, key: string) {
  const rows = await prisma.publishedMetafield.findMany({
    where: {
      namespace,
      key,
      shop: {
        in: (
          await prisma.shop.findMany({
            where: { uninstalledAt: null, storefrontPausedAt: null },
            select: { domain: true },
          })
        ).map((shop) => shop.domain),
      },
    },
    select: { shop: true, publishedAt: true },
  });
  return new Map(rows.map((row) => [row.shop, row.publishedAt]));
}

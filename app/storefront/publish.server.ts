import { mergeUpsells } from "~/domain/upsell/overrides";
import { canonicalJson } from "~/domain/storefront/canonical-json";
import {
  BARS_METAFIELD,
  metafieldDigest,
  publishedBars,
  REPURCHASE_DAYS_METAFIELD,
  UPSELLS_METAFIELD,
  type PublishedBars,
} from "~/domain/storefront/published";
import { listBars } from "~/models/bars.server";
import {
  forgetPublished,
  loadPublishedDigests,
  metafieldAddress,
  recordPublished,
  type PublishedDigest,
} from "~/models/published-metafields.server";
import {
  activeProductIds,
  giftCardProductIds,
  loadOverrides,
  loadRecommendations,
} from "~/models/recommendations.server";
import { loadProductChoices } from "~/models/upsell-choices.server";
import { getShopSettings } from "~/models/shop.server";
import { loadReplenishableProducts } from "~/models/buy-again.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import {
  METAFIELDS_PER_CALL,
  STOREFRONT_APP_INSTALLATION,
  STOREFRONT_METAFIELDS_DELETE,
  STOREFRONT_METAFIELDS_SET,
} from "~/shopify/operations/storefront";

/** Products shown per upsell block at most; the block's own setting shows 2–8 of them. */
export const UPSELLS_PER_PRODUCT = 8;

/** Exactly what the storefront reads: the bars JSON and, per product, its upsell product GIDs. */
export interface StorefrontPublication {
  bars: PublishedBars;
  upsells: Record<string, string[]>;
}

export async function buildStorefrontPublication(
  shop: string,
  now = new Date(),
): Promise<StorefrontPublication> {
  const [bars, settings, computed, overrides, active, choices, giftCards] = await Promise.all([
    listBars(shop),
    getShopSettings(shop),
    loadRecommendations(shop),
    loadOverrides(shop),
    activeProductIds(shop),
    loadProductChoices(shop),
    giftCardProductIds(shop),
  ]);
  // Excluded everywhere, pins included: a gift card, or a product the merchant excluded.
  const shown = (id: string) =>
    active.has(id) && !giftCards.has(id) && choices.get(id) !== "exclude";
  const upsells: Record<string, string[]> = {};
  for (const productId of [...new Set([...computed.keys(), ...overrides.keys()])].sort()) {
    if (!active.has(productId)) continue;
    const picks = mergeUpsells(
      productId,
      computed.get(productId) ?? [],
      overrides.get(productId),
      UPSELLS_PER_PRODUCT,
    ).filter(shown);
    if (picks.length) upsells[productId] = picks;
  }
  return { bars: publishedBars(bars, settings.tagPrefix, now), upsells };
}

export interface PublishReport {
  written: number;
  deleted: number;
  unchanged: number;
  apiCalls: number;
}

interface MetafieldWrite {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  digest: string;
}

/**
 * Writes the storefront data to Shopify, only what changed since the last publish (digests in
 * PublishedMetafield): the bars metafield on the app installation, an upsell list per product,
 * the repurchase interval of each replenishable product (as last computed and stored), and
 * deletes those products no longer have. Each metafieldsSet call is atomic and its digests are recorded right after it
 * succeeds, so a failure part-way leaves the ledger true to what Shopify holds, and the next
 * publish resumes from there.
 */
export async function publishStorefront(
  gateway: AdminGateway,
  shop: string,
  now: Date,
): Promise<PublishReport> {
  const callsBefore = gateway.stats().calls;
  const [publication, replenishable] = await Promise.all([
    buildStorefrontPublication(shop, now),
    loadReplenishableProducts(shop),
  ]);
  const { currentAppInstallation } = await gateway.request<{
    currentAppInstallation: { id: string };
  }>(STOREFRONT_APP_INSTALLATION);

  const desired: MetafieldWrite[] = [
    write(currentAppInstallation.id, BARS_METAFIELD, canonicalJson(publication.bars)),
    ...Object.entries(publication.upsells).map(([productId, ids]) =>
      write(productId, UPSELLS_METAFIELD, JSON.stringify(ids)),
    ),
    ...replenishable.map(({ productId, days }) =>
      write(productId, REPURCHASE_DAYS_METAFIELD, String(days)),
    ),
  ];
  let digests = await loadPublishedDigests(shop);
  // A new installation id means the app was reinstalled, and Shopify dropped the app's metafields
  // with the old installation: the ledger no longer describes Shopify, so everything is rewritten.
  const barsRows = digests.filter(
    (entry) => entry.namespace === BARS_METAFIELD.namespace && entry.key === BARS_METAFIELD.key,
  );
  if (
    barsRows.length > 0 &&
    !barsRows.some((entry) => entry.ownerId === currentAppInstallation.id)
  ) {
    await forgetPublished(shop, digests);
    digests = [];
  }
  const published = new Map(digests.map((entry) => [metafieldAddress(entry), entry]));
  const changed = desired.filter(
    (entry) => published.get(metafieldAddress(entry))?.digest !== entry.digest,
  );
  const wanted = new Set(desired.map(metafieldAddress));
  const gone = [...published.values()].filter((entry) => !wanted.has(metafieldAddress(entry)));
  // Upsell lists of products that lost their picks, and intervals of products no longer
  // replenishable, are deleted on Shopify; a bars metafield of an earlier installation went away
  // with that installation, so only the ledger row goes.
  const productKeys: string[] = [UPSELLS_METAFIELD.key, REPURCHASE_DAYS_METAFIELD.key];
  const staleOnProducts = gone.filter(
    (entry) => entry.namespace === UPSELLS_METAFIELD.namespace && productKeys.includes(entry.key),
  );

  for (let start = 0; start < changed.length; start += METAFIELDS_PER_CALL) {
    const batch = changed.slice(start, start + METAFIELDS_PER_CALL);
    await gateway.mutate(
      STOREFRONT_METAFIELDS_SET,
      { metafields: batch.map(({ digest: _digest, ...input }) => input) },
      "metafieldsSet",
    );
    await recordPublished(shop, batch, now);
  }
  await deletePublishedMetafields(gateway, shop, staleOnProducts);
  const otherGone = gone.filter((entry) => !staleOnProducts.includes(entry));
  if (otherGone.length) await forgetPublished(shop, otherGone);

  return {
    written: changed.length,
    deleted: staleOnProducts.length,
    unchanged: desired.length - changed.length,
    apiCalls: gateway.stats().calls - callsBefore,
  };
}

/**
 * Deletes published metafields on Shopify, 25 per call, forgetting each batch once Shopify
 * confirmed it: a failure part-way leaves exactly the undeleted ones recorded, to resume from.
 * Deleting one Shopify no longer holds succeeds (it answers null for it).
 */
export async function deletePublishedMetafields(
  gateway: AdminGateway,
  shop: string,
  metafields: readonly Omit<PublishedDigest, "digest">[],
) {
  for (let start = 0; start < metafields.length; start += METAFIELDS_PER_CALL) {
    const batch = metafields
      .slice(start, start + METAFIELDS_PER_CALL)
      .map(({ ownerId, namespace, key }) => ({ ownerId, namespace, key }));
    await gateway.mutate(STOREFRONT_METAFIELDS_DELETE, { metafields: batch }, "metafieldsDelete");
    await forgetPublished(shop, batch);
  }
}

function write(
  ownerId: string,
  metafield: { namespace: string; key: string; type: string },
  value: string,
): MetafieldWrite {
  return { ownerId, ...metafield, value, digest: metafieldDigest(metafield.type, value) };
}

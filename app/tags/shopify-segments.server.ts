import {
  shopifySegmentName,
  shopifySegmentQuery,
  taggedSubscribersSearch,
} from "~/domain/tags/shopify-segment";
import { segmentTag } from "~/domain/tags/tag-name";
import { getShopSettings } from "~/models/shop.server";
import { findSegmentForTagging, setShopifySegmentId } from "~/models/tag-ledger.server";
import { ShopifyUserError, type AdminGateway } from "~/shopify/gateway.server";
import {
  CUSTOMERS_COUNT,
  SEGMENT_BY_ID,
  SEGMENT_CREATE,
  SEGMENT_DELETE,
  SEGMENTS_BY_NAME,
} from "~/shopify/operations/segments";

interface ShopifySegment {
  id: string;
  name: string;
  query: string;
}

export interface PublishedSegment {
  segmentId: string;
  shopifySegmentId: string;
  /** The app tag the Shopify segment selects. */
  tag: string;
  name: string;
  query: string;
  /** false when the Shopify segment already existed (nothing was created). */
  created: boolean;
}

/** A request the merchant has to fix first (tagging off, invalid tag): shown as is. */
export class TagSetupError extends Error {}

async function findByName(gateway: AdminGateway, name: string) {
  // The search syntax has no escapes: a name with a double quote is matched by listing all.
  const search = name.includes('"') ? null : `name:"${name}"`;
  for await (const segment of gateway.paginate<ShopifySegment>(
    SEGMENTS_BY_NAME,
    { query: search },
    ["segments"],
  ))
    if (segment.name === name) return segment;
  return null;
}

/**
 * Creates, once, the Shopify segment "Persegment: <name>" selecting the segment's tag, so Shopify
 * Email can target it. Idempotent: a stored id that still exists, or a segment found by name, is
 * reused; a name clash with a different query is reported instead of overwritten.
 */
export async function publishShopifySegment(
  gateway: AdminGateway,
  shop: string,
  segmentId: string,
): Promise<PublishedSegment> {
  const segment = await findSegmentForTagging(shop, segmentId);
  if (!segment) throw new TagSetupError(`No segment ${segmentId} in ${shop}.`);
  if (!segment.tagEnabled)
    throw new TagSetupError(
      `Turn on "Tag customers" for ${segment.name} first: the Shopify segment selects its tag.`,
    );
  const { tagPrefix } = await getShopSettings(shop);
  const tag = segmentTag(tagPrefix, segment.handle);
  if (!tag.ok) throw new TagSetupError(tag.error);
  const name = shopifySegmentName(segment.name);
  const query = shopifySegmentQuery(tag.tag);
  const result = (existing: ShopifySegment, created: boolean): PublishedSegment => ({
    segmentId,
    shopifySegmentId: existing.id,
    tag: tag.tag,
    name: existing.name,
    query: existing.query,
    created,
  });

  if (segment.shopifySegmentId) {
    const { segment: stored } = await gateway.request<{ segment: ShopifySegment | null }>(
      SEGMENT_BY_ID,
      {
        id: segment.shopifySegmentId,
      },
    );
    if (stored) return result(stored, false);
  }
  const adopt = async (existing: ShopifySegment) => {
    if (existing.query !== query)
      throw new TagSetupError(
        `A Shopify segment named "${name}" already exists with a different query (${existing.query}); rename or delete it in Shopify.`,
      );
    await setShopifySegmentId(shop, segmentId, existing.id);
    return result(existing, false);
  };
  const existing = await findByName(gateway, name);
  if (existing) return adopt(existing);
  try {
    const created = await gateway.mutate<{ segment: ShopifySegment }>(
      SEGMENT_CREATE,
      { name, query },
      "segmentCreate",
    );
    await setShopifySegmentId(shop, segmentId, created.segment.id);
    return result(created.segment, true);
  } catch (error) {
    // Created meanwhile by a concurrent request: adopt it.
    if (error instanceof ShopifyUserError) {
      const raced = await findByName(gateway, name);
      if (raced) return adopt(raced);
    }
    throw error;
  }
}

/**
 * Deletes a Shopify segment the app created. One that is already gone (deleted by the merchant,
 * or by an earlier run that stopped before recording it) counts as deleted; any other refusal
 * is thrown.
 */
export async function deleteShopifySegment(gateway: AdminGateway, shopifySegmentId: string) {
  try {
    await gateway.mutate(SEGMENT_DELETE, { id: shopifySegmentId }, "segmentDelete");
  } catch (error) {
    if (!(error instanceof ShopifyUserError)) throw error;
    const { segment } = await gateway.request<{ segment: ShopifySegment | null }>(SEGMENT_BY_ID, {
      id: shopifySegmentId,
    });
    if (segment) throw error;
  }
}

/**
 * Shopify's own count of customers carrying the tag who are subscribed to email marketing (what
 * Shopify Email reaches). Null when the tag cannot be expressed in the search syntax.
 */
export async function shopifySubscribedCount(gateway: AdminGateway, tag: string) {
  const query = taggedSubscribersSearch(tag);
  if (query === null) return null;
  const data = await gateway.request<{ customersCount: { count: number } | null }>(
    CUSTOMERS_COUNT,
    {
      query,
    },
  );
  return data.customersCount?.count ?? null;
}

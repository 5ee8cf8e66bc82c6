import { segmentTag } from "~/domain/tags/tag-name";
import { getShopSettings } from "~/models/shop.server";
import {
  findSegmentForTagging,
  listSegmentsForTagging,
  setSegmentTagging,
} from "~/models/tag-ledger.server";
import { TagSetupError } from "./shopify-segments.server";

/**
 * Turns a segment's "Tag customers" switch on or off. Turning it on checks the tag it would write
 * against Shopify's rules first; an invalid tag changes nothing and says why.
 */
export async function setTagging(shop: string, segmentId: string, enabled: boolean) {
  const segment = await findSegmentForTagging(shop, segmentId);
  if (!segment) throw new TagSetupError(`No segment ${segmentId} in ${shop}.`);
  const { tagPrefix } = await getShopSettings(shop);
  const tag = segmentTag(tagPrefix, segment.handle);
  if (enabled && !tag.ok) throw new TagSetupError(`${segment.name}: ${tag.error}`);
  await setSegmentTagging(shop, segmentId, enabled);
  return { segment: { ...segment, tagEnabled: enabled }, tag: tag.ok ? tag.tag : null };
}

/** Finds a segment by handle (CLI) and returns its id, or a clear error listing the handles. */
export async function segmentIdByHandle(shop: string, handle: string) {
  const segments = await listSegmentsForTagging(shop);
  const found = segments.find((segment) => segment.handle === handle);
  if (!found)
    throw new TagSetupError(
      `No segment "${handle}" in ${shop}; known: ${segments.map((s) => s.handle).join(", ") || "none"}.`,
    );
  return found.id;
}

/**
 * Email engagement groups (PRODUCT.md §4): Shopify keeps each customer's Shopify Email activity and
 * selects the members of each group's segment query; this reads them (ids only) and stores the
 * memberships through the same writer as every segment, so entries, exits, tags, Flow and sizes
 * follow. A shop that sends no Shopify Email gets no groups; one that stops keeps its groups,
 * which empty as the window passes. Runs daily (engagement.read) and after a full sync.
 */
import {
  customerIdOfMember,
  ENGAGEMENT_GROUPS,
  engagementQuery,
  SENDS_SHOPIFY_EMAIL_QUERY,
} from "~/domain/segments/engagement";
import { ensureBuiltInSegments, listSegments } from "~/models/segments.server";
import { engagementCheckedBefore, findShop, recordEngagementCheck } from "~/models/shop.server";
import { hasCompletedFullSync } from "~/models/sync-runs.server";
import type { AdminGateway } from "~/shopify/gateway.server";
import { SEGMENT_QUERY_COUNT, SEGMENT_QUERY_MEMBERS } from "~/shopify/operations/engagement";
import { gatewayForShop } from "~/shops/access.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { setSegmentMembers } from "./recompute.server";
import { startOfUtcDay } from "./jobs.server";

/** The customer ids (Customer GIDs) a segment query selects, page after page. */
async function readMembers(gateway: AdminGateway, query: string, timezone: string) {
  const ids = new Set<string>();
  for await (const member of gateway.paginate<{ id: string }>(
    SEGMENT_QUERY_MEMBERS,
    { query, timezone },
    ["customerSegmentMembers"],
  ))
    ids.add(customerIdOfMember(member.id));
  return ids;
}

async function sendsShopifyEmail(gateway: AdminGateway, timezone: string) {
  const { customerSegmentMembers } = await gateway.request<{
    customerSegmentMembers: { totalCount: number };
  }>(SEGMENT_QUERY_COUNT, { query: SENDS_SHOPIFY_EMAIL_QUERY, timezone });
  return customerSegmentMembers.totalCount > 0;
}

export interface EngagementRead {
  sendsShopifyEmail: boolean;
  /** Groups whose members were read (0: the shop has none). */
  groups: number;
  entered: number;
  left: number;
}

/** Reads the shop's engagement groups from Shopify now and stores who belongs. */
export async function readEngagementGroups(
  shop: string,
  now = new Date(),
): Promise<EngagementRead> {
  const gateway = await gatewayForShop(shop);
  // Shopify counts relative dates in whole days of this time zone, as the merchant's admin does.
  const { timeZone } = await shopProfile(shop);
  const sends = await sendsShopifyEmail(gateway, timeZone);
  const hadGroups = (await listSegments(shop)).some((segment) => segment.kind === "engagement");
  if (!sends && !hadGroups) {
    await recordEngagementCheck(shop, false, now);
    return { sendsShopifyEmail: false, groups: 0, entered: 0, left: 0 };
  }
  await ensureBuiltInSegments(
    shop,
    ENGAGEMENT_GROUPS.map(({ handle, name, kind, description }) => ({
      handle,
      name,
      kind,
      description,
    })),
  );
  const segments = (await listSegments(shop)).filter((segment) => segment.kind === "engagement");
  const desired = new Map<string, Set<string>>();
  for (const segment of segments) {
    const group = ENGAGEMENT_GROUPS.find((candidate) => candidate.handle === segment.handle);
    if (group) desired.set(segment.id, await readMembers(gateway, group.query, timeZone));
  }
  const moves = await setSegmentMembers(shop, desired, now);
  await recordEngagementCheck(shop, sends, now);
  return { sendsShopifyEmail: sends, groups: desired.size, ...moves };
}

/** Installed, imported shops whose groups were not read yet this UTC day. */
export async function shopsDueForEngagementRead(now = new Date()) {
  const shops: string[] = [];
  for (const shop of await engagementCheckedBefore(startOfUtcDay(now)))
    if (await hasCompletedFullSync(shop)) shops.push(shop);
  return shops;
}

/** The segment page's word on where a group's members come from (null: not such a group). */
export async function engagementSource(shop: string, handle: string) {
  const query = engagementQuery(handle);
  if (!query) return null;
  const stored = await findShop(shop);
  return { query, readAt: stored?.engagementCheckedAt?.toISOString() ?? null };
}

/**
 * What the Overview's setup guide needs to say which first steps are done: the store imported,
 * the top bar embed on in the live theme, tagging on for a segment, a first bar made.
 */
import { canReadAllOrders } from "~/domain/sync/reconcile";
import { countBars } from "~/models/bars.server";
import { getStoreSummary } from "~/models/store-summary.server";
import { getSyncOverview } from "~/models/sync-overview.server";
import { listSegmentsForTagging } from "~/models/tag-ledger.server";
import { shopProfile } from "./shop-profile.server";
import { themeEmbedStatus } from "./theme-embed.server";

export async function setupGuide(shop: string, embedHandle: string) {
  const [summary, sync, segments, bars, embed, profile] = await Promise.all([
    getStoreSummary(shop),
    getSyncOverview(shop),
    listSegmentsForTagging(shop),
    countBars(shop),
    themeEmbedStatus(shop, embedHandle),
    shopProfile(shop),
  ]);
  const taggedSegments = segments.filter((segment) => segment.tagEnabled).length;
  return {
    summary,
    sync,
    limitedHistory: !canReadAllOrders(sync.scopes),
    embed,
    taggedSegments,
    bars,
    profile,
  };
}

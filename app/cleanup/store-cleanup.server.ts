// "Remove everything Persegment wrote to your store" (PRODUCT.md §5), for one shop: its tags, its
// Shopify segments and its metafields, with a dry run first. Every step records what Shopify
// confirmed as it goes, so a run that stops part-way is finished by running it again, and a run
// with nothing left to remove makes no Shopify call.
import {
  isInstallationOwned,
  planStoreCleanup,
  summarizeCleanup,
  type CleanupPlan,
  type CleanupSummary,
} from "~/domain/cleanup/plan";
import { forgetPublished, loadPublishedDigests } from "~/models/published-metafields.server";
import { pauseStorefrontPublishing } from "~/models/shop.server";
import {
  clearShopifySegmentId,
  listShopifySegmentLinks,
  loadOpenLedger,
} from "~/models/tag-ledger.server";
import { ShopifyUserError, type AdminGateway } from "~/shopify/gateway.server";
import { STOREFRONT_APP_INSTALLATION } from "~/shopify/operations/storefront";
import { deletePublishedMetafields } from "~/storefront/publish.server";
import { removeAllAppTags } from "~/tags/apply.server";
import { deleteShopifySegment } from "~/tags/shopify-segments.server";
import type { TagWriteFailure } from "~/tags/writer.server";

export interface StoreCleanupReport {
  dryRun: boolean;
  /** What the run found to remove (the dry run's answer). */
  planned: CleanupSummary;
  removed: { tags: number; shopifySegments: number; metafields: number };
  tagFailures: TagWriteFailure[];
  segmentFailures: { name: string; message: string }[];
  apiCalls: number;
}

async function loadCleanupPlan(gateway: AdminGateway, shop: string): Promise<CleanupPlan> {
  const [ledger, shopifySegments, metafields] = await Promise.all([
    loadOpenLedger(shop),
    listShopifySegmentLinks(shop),
    loadPublishedDigests(shop),
  ]);
  // Only an installation-owned metafield needs to know which installation is the current one.
  const appInstallationId = metafields.some(isInstallationOwned)
    ? (
        await gateway.request<{ currentAppInstallation: { id: string } }>(
          STOREFRONT_APP_INSTALLATION,
        )
      ).currentAppInstallation.id
    : null;
  return planStoreCleanup({ ledger, shopifySegments, metafields, appInstallationId });
}

export async function cleanUpStore(
  gateway: AdminGateway,
  shop: string,
  { dryRun = false, now = () => new Date() }: { dryRun?: boolean; now?: () => Date } = {},
): Promise<StoreCleanupReport> {
  const callsBefore = gateway.stats().calls;
  const plan = await loadCleanupPlan(gateway, shop);
  const report: StoreCleanupReport = {
    dryRun,
    planned: summarizeCleanup(plan),
    removed: { tags: 0, shopifySegments: 0, metafields: 0 },
    tagFailures: [],
    segmentFailures: [],
    apiCalls: 0,
  };
  if (dryRun) {
    report.apiCalls = gateway.stats().calls - callsBefore;
    return report;
  }

  // Writers stop first, so whatever fails below, nothing puts back what was already removed.
  // Publishing is paused rather than its bars and overrides deleted: the merchant's work stays,
  // and publishing the storefront again is the one deliberate step that brings it back.
  await pauseStorefrontPublishing(shop, now());
  // Turns tagging off for every segment, then removes the ledger's tags (resumable by itself). It
  // reads the ledger again once tagging is off, so a tag written since the plan goes too.
  const tags = await removeAllAppTags(gateway, shop, { now });
  report.removed.tags = tags.removes - tags.failures.reduce((n, f) => n + f.tags.length, 0);
  report.tagFailures = tags.failures;

  for (const segment of plan.shopifySegments) {
    try {
      await deleteShopifySegment(gateway, segment.shopifySegmentId);
    } catch (error) {
      if (!(error instanceof ShopifyUserError)) throw error;
      report.segmentFailures.push({ name: segment.name, message: error.message });
      continue;
    }
    await clearShopifySegmentId(shop, segment.segmentId, segment.shopifySegmentId);
    report.removed.shopifySegments++;
  }

  await deletePublishedMetafields(gateway, shop, plan.metafieldsToDelete);
  report.removed.metafields = plan.metafieldsToDelete.length;
  if (plan.metafieldsToForget.length) await forgetPublished(shop, plan.metafieldsToForget);

  report.apiCalls = gateway.stats().calls - callsBefore;
  return report;
}

import { planRemoveAll, type LedgerEntry, type TagPlan } from "../tags/plan";

/**
 * "Remove everything Persegment wrote to your store" (PRODUCT.md §5): what goes, decided from the
 * app's own records only. Tags come from the tag ledger, Shopify segments from the ids stored when
 * the app created them, metafields from what publishing recorded, so nothing the app did not
 * write is ever a candidate.
 */

/** A Shopify customer segment the app created for one of its segments. */
export interface AppShopifySegment {
  segmentId: string;
  name: string;
  shopifySegmentId: string;
}

export interface MetafieldAddress {
  ownerId: string;
  namespace: string;
  key: string;
}

export interface CleanupInput {
  /** Open tag ledger rows (settled `removed` rows have nothing left to remove). */
  ledger: LedgerEntry[];
  shopifySegments: AppShopifySegment[];
  /** Every metafield publishing recorded as written. */
  metafields: MetafieldAddress[];
  /** The app's current installation; needed only when a metafield is owned by an installation. */
  appInstallationId: string | null;
}

export interface CleanupPlan {
  tags: TagPlan;
  shopifySegments: AppShopifySegment[];
  metafieldsToDelete: MetafieldAddress[];
  /**
   * Recorded app-data metafields of an earlier installation: Shopify dropped them with it, so only
   * the record goes (deleting them would name an owner that no longer exists).
   */
  metafieldsToForget: MetafieldAddress[];
}

const INSTALLATION_GID = "gid://shopify/AppInstallation/";

export const isInstallationOwned = (metafield: MetafieldAddress) =>
  metafield.ownerId.startsWith(INSTALLATION_GID);

export function planStoreCleanup(input: CleanupInput): CleanupPlan {
  const earlierInstallation = (metafield: MetafieldAddress) =>
    isInstallationOwned(metafield) && metafield.ownerId !== input.appInstallationId;
  return {
    tags: planRemoveAll(input.ledger),
    shopifySegments: input.shopifySegments,
    metafieldsToDelete: input.metafields.filter((m) => !earlierInstallation(m)),
    metafieldsToForget: input.metafields.filter(earlierInstallation),
  };
}

export interface CleanupSummary {
  tags: {
    /** Tag removals (one customer carrying two app tags counts two). */
    removals: number;
    customers: number;
    byTag: { tag: string; customers: number }[];
    sample: { customerId: string; tags: string[] }[];
  };
  shopifySegments: { count: number; sample: { name: string; shopifySegmentId: string }[] };
  metafields: { shop: number; products: number; sample: MetafieldAddress[] };
  nothingToRemove: boolean;
}

/** Counts and a few examples of a plan, for the dry run (Settings card and CLI). */
export function summarizeCleanup(plan: CleanupPlan, sampleSize = 5): CleanupSummary {
  const customersByTag = new Map<string, number>();
  for (const change of plan.tags.changes)
    for (const tag of change.remove) customersByTag.set(tag, (customersByTag.get(tag) ?? 0) + 1);
  const removals = [...customersByTag.values()].reduce((sum, n) => sum + n, 0);
  const onProducts = plan.metafieldsToDelete.filter((m) => !isInstallationOwned(m)).length;
  return {
    tags: {
      removals,
      customers: plan.tags.changes.filter((change) => change.remove.length > 0).length,
      byTag: [...customersByTag]
        .map(([tag, customers]) => ({ tag, customers }))
        .sort((a, b) => b.customers - a.customers || a.tag.localeCompare(b.tag)),
      sample: plan.tags.changes
        .slice(0, sampleSize)
        .map((change) => ({ customerId: change.customerId, tags: change.remove })),
    },
    shopifySegments: {
      count: plan.shopifySegments.length,
      sample: plan.shopifySegments
        .slice(0, sampleSize)
        .map(({ name, shopifySegmentId }) => ({ name, shopifySegmentId })),
    },
    metafields: {
      shop: plan.metafieldsToDelete.length - onProducts,
      products: onProducts,
      sample: plan.metafieldsToDelete.slice(0, sampleSize),
    },
    nothingToRemove:
      removals === 0 &&
      plan.shopifySegments.length === 0 &&
      plan.metafieldsToDelete.length === 0 &&
      plan.metafieldsToForget.length === 0,
  };
}

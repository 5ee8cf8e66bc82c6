/**
 * The storefront's background work. The refresh: new orders change what is bought together and
 * who is in which segment, so the shop's recommendations are recomputed and everything
 * republished. Only shops that use the storefront (published at least once) are refreshed.
 * The boundary republish: Liquid checks each bar's schedule, but Shopify serves cached pages for
 * minutes to hours, so a page rendered before a bar's start or end would keep the old choice. The
 * bars metafield changes at every start and end (`boundary` in the published JSON), and writing it
 * makes Shopify render pages anew.
 */
import { BARS_METAFIELD, publishedBars } from "~/domain/storefront/published";
import { boundaryPassedSince } from "~/domain/storefront/schedule";
import { enabledBarsByShop } from "~/models/bars.server";
import { lastPublishedAt, publishedAtByShop } from "~/models/published-metafields.server";
import { recomputeAndPublish, republish } from "./admin.server";

export { shopsUsingStorefront } from "~/models/published-metafields.server";

/** After orders change, the refresh waits this long, so a busy hour costs one run, not one per order. */
export const REFRESH_DELAY_SECONDS = 10 * 60;

/**
 * How late a scheduled bar can switch on or off in the storefront: the boundary check runs every
 * minute (BOUNDARY_CHECK_CRON) and its republish takes seconds. README states it.
 */
export const BOUNDARY_BOUND_SECONDS = 2 * 60;
export const BOUNDARY_CHECK_CRON = "* * * * *";

export async function usesStorefront(shop: string) {
  return (await lastPublishedAt(shop)) !== null;
}

/** Recomputes and republishes the shop's storefront data (a shop paused by cleanup stays clean). */
export async function refreshStorefront(shop: string, now = new Date()) {
  const { outcome } = await recomputeAndPublish(shop, now, { background: true });
  // Thrown, so the job is retried with backoff (Shopify down, a throttled write).
  if (!outcome.published && !outcome.paused) throw new Error(`publishing failed: ${outcome.error}`);
  return outcome;
}

/**
 * Shops (installed, publishing not paused) where a switched-on bar started or ended after their
 * bars were last written to Shopify: two queries for all shops, whatever their number.
 */
export async function shopsPastBarBoundary(now = new Date()): Promise<string[]> {
  const publishedAt = await publishedAtByShop(BARS_METAFIELD.namespace, BARS_METAFIELD.key);
  const bars = await enabledBarsByShop([...publishedAt.keys()]);
  return [...bars.entries()]
    .filter(([shop, shopBars]) =>
      // The tag prefix does not move a boundary.
      boundaryPassedSince(publishedBars(shopBars, "", now).bars, publishedAt.get(shop)!, now),
    )
    .map(([shop]) => shop);
}

/** Republishes the shop's bars (and whatever else changed) after a boundary; no recompute. */
export async function republishAtBoundary(shop: string, now = new Date()) {
  const outcome = await republish(shop, now, { background: true });
  if (!outcome.published && !outcome.paused) throw new Error(`publishing failed: ${outcome.error}`);
  return outcome;
}

/**
 * The storefront refresh's work: new orders change what is bought together and who is in which
 * segment, so the shop's recommendations are recomputed and everything republished. Only shops
 * that use the storefront (published at least once) are refreshed.
 */
import { lastPublishedAt } from "~/models/published-metafields.server";
import { recomputeAndPublish } from "./admin.server";

export { shopsUsingStorefront } from "~/models/published-metafields.server";

/** After orders change, the refresh waits this long, so a busy hour costs one run, not one per order. */
export const REFRESH_DELAY_SECONDS = 10 * 60;

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

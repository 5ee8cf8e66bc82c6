// New orders change what is bought together. After sync reports changed customers (orders
// arrived, were edited or cancelled), the shop's recommendations are recomputed and republished
// once things are quiet: one run per shop per window, not one per webhook.
import { onCustomersChanged } from "~/jobs/customer-changes.server";
import { lastPublishedAt } from "~/models/published-metafields.server";
import { recomputeAndPublish } from "./admin.server";

export const REFRESH_DELAY_MS = 10 * 60_000;

const pending = new Map<string, ReturnType<typeof setTimeout>>();

async function refresh(shop: string) {
  pending.delete(shop);
  try {
    // Background: a shop paused by "remove everything" stays clean until the merchant publishes.
    const { outcome } = await recomputeAndPublish(shop, new Date(), { background: true });
    if (!outcome.published && !outcome.paused)
      console.error(`storefront refresh for ${shop}: ${outcome.error}`);
  } catch (error) {
    console.error(`storefront refresh for ${shop} failed:`, error);
  }
}

/** Schedules a recompute + publish for the shop, unless one is already waiting. */
export function scheduleStorefrontRefresh(shop: string, delayMs = REFRESH_DELAY_MS) {
  if (pending.has(shop)) return;
  const timer = setTimeout(() => void refresh(shop), delayMs);
  timer.unref?.();
  pending.set(shop, timer);
}

/** Runs every waiting refresh now (shutdown, tests). */
export async function flushStorefrontRefreshes() {
  const shops = [...pending.keys()];
  for (const shop of shops) clearTimeout(pending.get(shop));
  await Promise.all(shops.map(refresh));
}

export function pendingStorefrontRefreshes() {
  return [...pending.keys()];
}

onCustomersChanged(async (shop) => {
  // Only shops that use the storefront (published at least once) are refreshed.
  if (await lastPublishedAt(shop)) scheduleStorefrontRefresh(shop);
});

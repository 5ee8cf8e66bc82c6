/**
 * The daily recompute's work: recency moves with time even when no order arrives, so every
 * installed shop is recomputed as a whole once per UTC day (the schedule checks hourly; a missed
 * day is caught up at the next check). A webhook's incremental recompute does not count: it
 * re-ranks only its customers.
 */
import { shopsRecomputedBefore } from "~/models/shop.server";
import { recomputeShop } from "./recompute.server";

export const startOfUtcDay = (now: Date) => new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);

/** Installed shops not yet recomputed as a whole today. */
export function shopsDueForDailyRecompute(now = new Date()) {
  return shopsRecomputedBefore(startOfUtcDay(now));
}

/** Recomputes the shop unless it was today already (a repeated job does nothing). */
export async function recomputeIfDue(shop: string, now = new Date()) {
  if ((await shopsRecomputedBefore(startOfUtcDay(now), shop)).length === 0) return null;
  return recomputeShop(shop, { asOf: now });
}

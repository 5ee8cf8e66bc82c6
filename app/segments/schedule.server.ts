/**
 * Daily full recompute: recency moves with time even when no order arrives, so every installed
 * shop is recomputed once per UTC day (checked hourly; a missed day is caught up at the next check).
 */
import { latestStatDay, listInstalledShops } from "~/models/segments.server";
import { recomputeShop, utcDay } from "./recompute.server";

export async function recomputeStaleShops(now = new Date()) {
  const today = utcDay(now);
  const recomputed: string[] = [];
  for (const shop of await listInstalledShops()) {
    if ((await latestStatDay(shop)) === today) continue;
    try {
      await recomputeShop(shop, { asOf: now });
      recomputed.push(shop);
    } catch (error) {
      console.error(`daily segment recompute failed for ${shop}`, error);
    }
  }
  return recomputed;
}

export function startDailyRecompute(intervalMs = 60 * 60_000) {
  const tick = () =>
    void recomputeStaleShops().catch((error) => console.error("daily recompute", error));
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  const first = setTimeout(tick, 30_000);
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}

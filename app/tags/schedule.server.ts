/**
 * Keeps tags in step with memberships without anyone pressing a button: every few minutes, each
 * installed shop with tagging on is planned (database only) and written only if something changed,
 * so a quiet shop costs no API call.
 */
import { listShopsWithTagging } from "~/models/tag-ledger.server";
import { gatewayForShop } from "~/shopify/gateway.server";
import { applyShopTags, planShopTags, type TagRunReport } from "./apply.server";

const running = new Set<string>();

export async function applyTagsForShops(): Promise<Map<string, TagRunReport>> {
  const reports = new Map<string, TagRunReport>();
  for (const shop of await listShopsWithTagging()) {
    // One run per shop at a time in this process; a run in another process is harmless (the
    // writes are idempotent and ledger updates are guarded by the state they expect).
    if (running.has(shop)) continue;
    running.add(shop);
    try {
      const { plan } = await planShopTags(shop);
      if (plan.changes.length === 0) continue;
      reports.set(shop, await applyShopTags(await gatewayForShop(shop), shop));
    } catch (error) {
      console.error(`tag write failed for ${shop}`, error);
    } finally {
      running.delete(shop);
    }
  }
  return reports;
}

export function startTagSchedule(intervalMs = 5 * 60_000) {
  const timer = setInterval(
    () => void applyTagsForShops().catch((error) => console.error("tag schedule", error)),
    intervalMs,
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A shop's prediction refresh (PRODUCT.md §9): its counted purchases read at an as-of, the
 * backtest, fits and method choice of the domain core, the result stored, and the segments whose
 * rules read predictions brought up to date. The CLI, the admin and the daily job all run this.
 */
import { runPredictions, type PredictionRun } from "~/domain/predictions/refresh";
import { segmentUsesPredictions } from "~/domain/segments/segment-rule";
import { concurrentReader } from "~/db.server";
import { lastSegmentChange } from "~/models/memberships.server";
import { loadCountedPurchases, storePredictionRun } from "~/models/predictions.server";
import { listSegments } from "~/models/segments.server";
import { getShopSettings } from "~/models/shop.server";
import { PastRecomputeError, recomputeRuleSegments } from "~/segments/recompute.server";
import { shopProfile } from "~/shops/shop-profile.server";

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface RefreshResult {
  shop: string;
  run: PredictionRun;
  /** Segments on predictions recomputed after the refresh, and how their members moved. */
  segments: { recomputed: number; entered: number; left: number; failed: number };
}

/**
 * Refits the shop's models as of `asOf` (default now) and replaces its stored predictions. The
 * segments that follow are live memberships, so an as-of before their last change is refused
 * before anything is read or written, as a recompute refuses it.
 */
export async function refreshPredictions(
  shop: string,
  options: { asOf?: Date; now?: Date } = {},
): Promise<RefreshResult> {
  const now = options.now ?? new Date();
  const asOf = options.asOf ?? now;
  const lastChange = await lastSegmentChange(shop);
  if (lastChange && asOf < lastChange)
    throw new PastRecomputeError(
      `as of ${asOf.toISOString()} is before ${shop}'s last segment change (${lastChange.toISOString()}): the segments on predictions are live and only move forward`,
    );
  const [profile, purchases] = await Promise.all([
    shopProfile(shop),
    loadCountedPurchases(concurrentReader, shop, asOf),
  ]);
  // Each step is up to a second or two of computation on a large shop: other work goes on between.
  const run = await runPredictions(purchases, { asOf, timeZone: profile.timeZone, pause });
  await storePredictionRun(shop, run, now);
  await pause();
  const [settings, segments] = await Promise.all([getShopSettings(shop), listSegments(shop)]);
  const following = segments.filter((segment) => segmentUsesPredictions(segment, settings));
  const moved = following.length
    ? await recomputeRuleSegments(shop, following, { asOf })
    : { entered: 0, left: 0, failed: 0 };
  return { shop, run, segments: { recomputed: following.length, ...moved } };
}

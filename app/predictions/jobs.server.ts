/**
 * The daily refresh's work: predictions age with time (T and the days since each last order grow
 * every day), so every installed shop is refitted once per UTC day; the schedule checks hourly,
 * and a missed day is caught up at the next check.
 */
import { shopsWithPredictionsBefore } from "~/models/predictions.server";
import { startOfUtcDay } from "~/segments/jobs.server";
import { refreshPredictions } from "./refresh.server";

/** Installed shops whose predictions are not as of today yet. */
export function shopsDueForPredictions(now = new Date()) {
  return shopsWithPredictionsBefore(startOfUtcDay(now));
}

/** Refreshes the shop unless it was today already (a repeated job does nothing). */
export async function refreshPredictionsIfDue(shop: string, now = new Date()) {
  if ((await shopsWithPredictionsBefore(startOfUtcDay(now), shop)).length === 0) return null;
  return refreshPredictions(shop, { asOf: now, now });
}

/**
 * The bulk exports of a full sync: customers, products, then the orders in creation-date slices,
 * so Shopify prepares the next slice while the app imports the current one instead of the app
 * waiting for one huge file; and which exports to start ahead.
 */
import type { SyncedResource } from "./synced-resource";

export interface ExportStep {
  phase: SyncedResource;
  /** Stable name of the step (prestarted exports are keyed by it). */
  key: string;
  /** An orders slice's creation-date search; null: every record of the phase. */
  search: string | null;
}

/** Orders per date slice of the orders export; a few slices at most. */
export const ORDERS_PER_SLICE = 100_000;
const MAX_ORDER_SLICES = 4;
/** Exports started ahead of the one being imported (Shopify runs up to five at once, 2026-01+). */
const EXPORTS_AHEAD = 2;

export function exportSteps(orderSlices: (string | null)[]): ExportStep[] {
  return [
    { phase: "customers", key: "customers", search: null },
    { phase: "products", key: "products", search: null },
    ...orderSlices.map((search, index) => ({
      phase: "orders" as const,
      key: `orders#${index}`,
      search,
    })),
  ];
}

/** How many date slices the shop's `orders` are exported in. */
export function orderSliceCount(orders: number, ordersPerSlice: number) {
  return Math.min(MAX_ORDER_SLICES, Math.ceil(orders / ordersPerSlice));
}

/**
 * Search filters cutting the orders into `count` creation-date slices of equal length, from the
 * oldest order to `until`; the first and last are open-ended so no order falls between them.
 */
export function orderSlices(oldest: Date | null, until: Date, count: number): (string | null)[] {
  if (!oldest || count <= 1 || oldest >= until) return [null];
  const step = (until.getTime() - oldest.getTime()) / count;
  const bounds = Array.from({ length: count - 1 }, (_, index) =>
    new Date(oldest.getTime() + step * (index + 1)).toISOString(),
  );
  return Array.from({ length: count }, (_, index) =>
    [
      index > 0 ? `created_at:>='${bounds[index - 1]}'` : "",
      index < count - 1 ? `created_at:<'${bounds[index]}'` : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
}

/** The steps after `current` whose exports start now, unless `prestarted` already (by key). */
export function exportsToPrestart(
  steps: ExportStep[],
  current: number,
  prestarted: Record<string, string>,
) {
  return steps
    .slice(current + 1, current + 1 + EXPORTS_AHEAD)
    .filter((later) => !prestarted[later.key]);
}

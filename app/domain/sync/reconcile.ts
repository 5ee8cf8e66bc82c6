/**
 * What reconciliation decides record by record: whether Shopify's copy is missing locally,
 * differs from the stored one (stale) or matches it (current); which stored records Shopify no
 * longer has (gone); and from when it reads.
 */

export type Verdict = "missing" | "stale" | "current";

/** What one resource's reconciliation checked and fixed. */
export interface ResourceReport {
  checked: number;
  created: number;
  updated: number;
  deleted: number;
}

export const emptyReport = (): ResourceReport => ({
  checked: 0,
  created: 0,
  updated: 0,
  deleted: 0,
});

/** Counts a checked record: a missing one is created, a stale one updated. */
export function tally(report: ResourceReport, verdict: Verdict) {
  report.checked++;
  if (verdict === "missing") report.created++;
  if (verdict === "stale") report.updated++;
}

/** Instants compare by time; anything else by its text, with null and undefined as "". */
export function sameValue(a: unknown, b: unknown) {
  if (a instanceof Date || b instanceof Date)
    return (
      (a ? new Date(a as Date).getTime() : null) === (b ? new Date(b as Date).getTime() : null)
    );
  return String(a ?? "") === String(b ?? "");
}

/**
 * Shopify's record against the stored row. Only fields the record carries (not undefined: its
 * source does not have them) and the row has are compared.
 */
export function recordVerdict(
  remote: object,
  stored: Record<string, unknown> | undefined,
): Verdict {
  if (!stored) return "missing";
  const differs = Object.entries(remote).some(
    ([key, value]) => value !== undefined && key in stored && !sameValue(value, stored[key]),
  );
  return differs ? "stale" : "current";
}

/** Whether an order's line items differ from the stored ones: another number of them, or a field. */
export function lineItemsDiffer<Line extends { id: string }>(
  lines: readonly Line[],
  stored: Map<string, Record<string, unknown>>,
  storedCount: number,
) {
  return (
    storedCount !== lines.length ||
    lines.some((line) => {
      const row = stored.get(line.id);
      return !row || Object.entries(line).some(([key, value]) => !sameValue(value, row[key]));
    })
  );
}

/** An order is stale when it differs or its line items do. */
export function orderVerdict(
  order: object,
  stored: Record<string, unknown> | undefined,
  linesDiffer: boolean,
): Verdict {
  const verdict = recordVerdict(order, stored);
  return verdict === "current" && linesDiffer ? "stale" : verdict;
}

/** The stored ids Shopify no longer has. */
export function goneFromShopify(storedIds: readonly string[], remoteIds: ReadonlySet<string>) {
  return storedIds.filter((id) => !remoteIds.has(id));
}

/** Re-read this much before the high-water mark: clock skew and same-second writes. */
const OVERLAP_MS = 5 * 60_000;

/** Where a resource's reconciliation reads from: its high-water mark (none: the start) less the overlap. */
export function readSince(highWaterMark: Date | null) {
  const cursor = highWaterMark ?? new Date(0);
  return new Date(Math.max(0, cursor.getTime() - OVERLAP_MS));
}

const ORDER_HISTORY_DAYS_WITHOUT_READ_ALL_ORDERS = 60;

/** True when Shopify lets the app read orders of any age (else only the last 60 days). */
export function canReadAllOrders(scopes: string) {
  return scopes
    .split(",")
    .map((scope) => scope.trim())
    .includes("read_all_orders");
}

/** When the orders the app can read begin (creation time), or null when it can read them all. */
export function orderHistoryStart(scopes: string, now: Date) {
  return canReadAllOrders(scopes)
    ? null
    : new Date(now.getTime() - ORDER_HISTORY_DAYS_WITHOUT_READ_ALL_ORDERS * 86_400_000);
}

/**
 * Impressions, clicks and dismissals of top bars, as the app's web pixel reports them
 * (extensions/persegment-pixel): a batch of counts per bar and kind for one shop, checked here
 * before anything is stored, and added to the day's totals. Nothing in a batch identifies the
 * visitor. Pure: the shop's bars and the day are passed in.
 */

export const BAR_EVENT_KINDS = ["impression", "click", "dismiss"] as const;
export type BarEventKind = (typeof BAR_EVENT_KINDS)[number];

export interface BarEventCount {
  barId: string;
  kind: BarEventKind;
  count: number;
}

export interface BarEventBatch {
  shop: string;
  counts: BarEventCount[];
}

/**
 * What one batch may hold. The pixel sends one page view's events: each bar's impression once,
 * a few clicks at most. Larger numbers are not a shopper's.
 */
export const BATCH_LIMITS = { bytes: 4096, entries: 12, countPerEntry: 20 } as const;

export type BatchProblem = { status: 400 | 404 | 413 | 422; error: string };
export type BatchCheck = ({ ok: true } & BarEventBatch) | ({ ok: false } & BatchProblem);

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const BAR_ID = /^[A-Za-z0-9_-]{1,64}$/;

const refuse = (status: BatchProblem["status"], error: string): BatchCheck => ({
  ok: false,
  status,
  error,
});

const isKind = (value: unknown): value is BarEventKind =>
  typeof value === "string" && (BAR_EVENT_KINDS as readonly string[]).includes(value);

/** Reads a batch's body text: `{ "shop": "<x>.myshopify.com", "counts": [{ barId, kind, count }] }`. */
export function parseBarEventBatch(text: string): BatchCheck {
  if (text.length > BATCH_LIMITS.bytes)
    return refuse(413, `A batch is at most ${BATCH_LIMITS.bytes} bytes.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(400, "The body must be JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return refuse(400, "The body must be an object with shop and counts.");
  const { shop, counts } = body as { shop?: unknown; counts?: unknown };
  if (typeof shop !== "string" || !SHOP_DOMAIN.test(shop))
    return refuse(400, "shop must be the shop's myshopify.com domain.");
  if (!Array.isArray(counts) || counts.length === 0 || counts.length > BATCH_LIMITS.entries)
    return refuse(400, `counts must list 1 to ${BATCH_LIMITS.entries} entries.`);
  const seen = new Set<string>();
  const checked: BarEventCount[] = [];
  for (const entry of counts as unknown[]) {
    const { barId, kind, count } = (entry ?? {}) as Record<string, unknown>;
    if (typeof barId !== "string" || !BAR_ID.test(barId))
      return refuse(400, "Each entry needs a barId.");
    if (!isKind(kind)) return refuse(400, `kind must be one of ${BAR_EVENT_KINDS.join(", ")}.`);
    if (!Number.isInteger(count) || (count as number) < 1)
      return refuse(400, "count must be a whole number of at least 1.");
    if ((count as number) > BATCH_LIMITS.countPerEntry)
      return refuse(422, `count is at most ${BATCH_LIMITS.countPerEntry} per batch.`);
    const key = `${barId} ${kind}`;
    if (seen.has(key)) return refuse(400, "Each bar and kind appears once per batch.");
    seen.add(key);
    checked.push({ barId, kind, count: count as number });
  }
  return { ok: true, shop, counts: checked };
}

/** The batch against what the app knows of the shop: installed, and every bar its own. */
export function checkAgainstShop(
  batch: BarEventBatch,
  shop: { installed: boolean; barIds: ReadonlySet<string> } | null,
): BatchProblem | null {
  if (!shop?.installed) return { status: 404, error: "No such shop." };
  const foreign = batch.counts.find((entry) => !shop.barIds.has(entry.barId));
  return foreign ? { status: 422, error: `The shop has no bar ${foreign.barId}.` } : null;
}

export interface BarDayTotals {
  day: string;
  impressions: number;
  clicks: number;
  dismissals: number;
  /** Clicks per impression; null without impressions. */
  clickThrough: number | null;
}

const rate = (clicks: number, impressions: number) =>
  impressions > 0 ? clicks / impressions : null;

/** Stored day rows of one bar as a table: one line per day (newest first) and the total. */
export function barEngagement(rows: { day: string; kind: string; count: number }[]): {
  days: BarDayTotals[];
  total: Omit<BarDayTotals, "day">;
} {
  const byDay = new Map<string, BarDayTotals>();
  for (const row of rows) {
    let day = byDay.get(row.day);
    if (!day) {
      day = { day: row.day, impressions: 0, clicks: 0, dismissals: 0, clickThrough: null };
      byDay.set(row.day, day);
    }
    if (row.kind === "impression") day.impressions += row.count;
    if (row.kind === "click") day.clicks += row.count;
    if (row.kind === "dismiss") day.dismissals += row.count;
  }
  const days = [...byDay.values()].sort((a, b) => b.day.localeCompare(a.day));
  for (const day of days) day.clickThrough = rate(day.clicks, day.impressions);
  const sum = (key: "impressions" | "clicks" | "dismissals") =>
    days.reduce((total, day) => total + day[key], 0);
  const total = {
    impressions: sum("impressions"),
    clicks: sum("clicks"),
    dismissals: sum("dismissals"),
  };
  return { days, total: { ...total, clickThrough: rate(total.clicks, total.impressions) } };
}

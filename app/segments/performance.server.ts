/**
 * Segment performance over time (PRODUCT.md §10): rebuilding the per-period rows from synced
 * orders (the `segments.performance` job), and reading them for the segment page, the
 * comparison page and the CSV export. Pages read stored rows only, never the orders.
 */
import { periodKpis, type PeriodStat, replayPeriods } from "~/domain/segments/performance";
import { completedPeriods, type Grain, GRAINS, periodsKept } from "~/domain/segments/periods";
import {
  loadPeriodStats,
  loadReplayInputs,
  storedPeriods,
  writePeriodStats,
} from "~/models/segment-periods.server";
import { listSegments } from "~/models/segments.server";
import { getShopSettings } from "~/models/shop.server";
import { shopProfile } from "~/shops/shop-profile.server";
import { csvField, formatCents } from "./export.server";

/** Segments whose past members can be re-evaluated from orders alone. */
export const replaysHistory = (kind: string) => kind === "rfm" || kind === "lifecycle";

/**
 * Computes the kept periods that lack rows (`everything`: all of them again, after a
 * full sync changed the orders), and drops rows of periods no longer kept. Idempotent: a
 * repeated run finds nothing missing. Waits (does nothing) while the shop's time zone is unknown,
 * since periods are the shop's calendar days.
 */
export async function rebuildPerformance(
  shop: string,
  options: { now?: Date; everything?: boolean } = {},
): Promise<{ waiting: true } | { periods: number; rows: number }> {
  const now = options.now ?? new Date();
  const [settings, segments, profile] = await Promise.all([
    getShopSettings(shop),
    listSegments(shop),
    shopProfile(shop),
  ]);
  const replayed = segments.filter((segment) => replaysHistory(segment.kind));
  if (replayed.length === 0 || !profile.fromShopify) return { waiting: true };
  const kept = periodsKept(profile.timeZone, now);
  const stored = options.everything ? new Set<string>() : await storedPeriods(shop);
  // A period is due when a segment lacks its row (a segment added since, too).
  const due = kept.filter((period) =>
    replayed.some((segment) => !stored.has(`${period.grain}:${period.start}:${segment.id}`)),
  );
  if (due.length === 0) return { periods: 0, rows: 0 };
  const until = new Date(Math.max(...due.map((period) => period.endAt.getTime())));
  const inputs = await loadReplayInputs(shop, until);
  const stats: PeriodStat[] = [];
  for (const ended of replayPeriods({ ...inputs, segments: replayed, settings, periods: due })) {
    stats.push(...ended);
    // A step is a few milliseconds of scoring: requests waiting meanwhile are served in between.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await writePeriodStats(shop, stats, kept, now);
  return { periods: due.length, rows: stats.length };
}

/** One period's row as pages and the CSV show it (money as cent strings: BigInt-safe JSON). */
export interface PerformanceRow {
  start: string;
  end: string;
  members: number;
  cohort: number;
  buyers: number;
  conversion: number | null;
  orders: number;
  revenueCents: string;
  aovCents: string | null;
  repeatRate: number | null;
  entered: number;
  left: number;
}

/** The kept periods of a grain in the shop's time zone (keyed by start), and their rows. */
async function keptRows(
  shop: string,
  grain: Grain,
  timeZone: string,
  now: Date,
  segmentId?: string,
) {
  const periods = new Map(
    completedPeriods(grain, timeZone, now).map((period) => [period.start, period]),
  );
  const [first] = periods.keys();
  return { periods, stats: await loadPeriodStats(shop, grain, first, segmentId) };
}

function performanceRows({
  periods,
  stats,
}: Awaited<ReturnType<typeof keptRows>>): PerformanceRow[] {
  return stats.flatMap((stat) => {
    const period = periods.get(stat.start);
    if (!period) return [];
    const kpis = periodKpis(stat);
    return [
      {
        start: stat.start,
        end: period.lastDay,
        members: kpis.members,
        cohort: stat.cohort,
        buyers: stat.buyers,
        conversion: kpis.conversion,
        orders: kpis.orders,
        revenueCents: kpis.revenueCents.toString(),
        aovCents: kpis.aovCents?.toString() ?? null,
        repeatRate: kpis.repeatRate,
        entered: kpis.entered,
        left: kpis.left,
      },
    ];
  });
}

/** A segment's rows for the grain, oldest first (empty for segments whose history cannot be replayed). */
export async function segmentPerformance(
  shop: string,
  segmentId: string,
  grain: Grain,
  timeZone: string,
  now = new Date(),
) {
  return performanceRows(await keptRows(shop, grain, timeZone, now, segmentId));
}

/** A segment's rows for every grain: the segment page switches between them in the browser. */
export async function segmentPerformanceByGrain(
  shop: string,
  segmentId: string,
  timeZone: string,
  now = new Date(),
) {
  const [day, week, month] = await Promise.all(
    GRAINS.map((grain) => segmentPerformance(shop, segmentId, grain, timeZone, now)),
  );
  return { day, week, month };
}

/** Every replayed segment's rows for the grain: the comparison page. */
export async function comparePerformance(
  shop: string,
  grain: Grain,
  timeZone: string,
  now = new Date(),
) {
  const [segments, kept] = await Promise.all([
    listSegments(shop),
    keptRows(shop, grain, timeZone, now),
  ]);
  return segments
    .filter((segment) => replaysHistory(segment.kind))
    .map((segment) => ({
      handle: segment.handle,
      name: segment.name,
      kind: segment.kind,
      rows: performanceRows({
        periods: kept.periods,
        stats: kept.stats.filter((stat) => stat.segmentId === segment.id),
      }),
    }));
}

export const PERFORMANCE_CSV_COLUMNS = [
  "period_start",
  "period_end",
  "members",
  "members_at_start",
  "buyers",
  "conversion",
  "orders",
  "revenue",
  "aov",
  "repeat_rate",
  "entered",
  "left",
  "currency",
] as const;

const share = (value: number | null) => (value === null ? null : value.toFixed(4));

/** The per-period table as CSV: amounts exact in the shop currency, rates as shares (0–1). */
export function performanceCsv(rows: PerformanceRow[], currency: string) {
  const lines = rows.map((row) =>
    [
      row.start,
      row.end,
      row.members,
      row.cohort,
      row.buyers,
      share(row.conversion),
      row.orders,
      formatCents(BigInt(row.revenueCents)),
      row.aovCents === null ? null : formatCents(BigInt(row.aovCents)),
      share(row.repeatRate),
      row.entered,
      row.left,
      currency,
    ]
      .map(csvField)
      .join(","),
  );
  return `${[PERFORMANCE_CSV_COLUMNS.join(","), ...lines].join("\n")}\n`;
}

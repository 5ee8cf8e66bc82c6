/**
 * Periods and rates as the performance pages write them. A period's start is a calendar day of
 * the shop (YYYY-MM-DD), so it is formatted as that date, in no further time zone.
 */
import type { Grain } from "~/domain/segments/periods";
import type { PerformanceRow } from "~/segments/performance.server";
import { money } from "./format";

const calendar = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
const fullDay = calendar({ year: "numeric", month: "short", day: "numeric" });
const shortDay = calendar({ month: "short", day: "numeric" });
const fullMonth = calendar({ year: "numeric", month: "long" });
const shortMonth = calendar({ year: "2-digit", month: "short" });

const asDate = (start: string) => new Date(`${start}T00:00:00Z`);

export const GRAIN_NAMES: Record<Grain, { adjective: string; noun: string }> = {
  day: { adjective: "Daily", noun: "day" },
  week: { adjective: "Weekly", noun: "week" },
  month: { adjective: "Monthly", noun: "month" },
};

/** "Dec 6, 2026", "Week of Nov 30, 2026", "November 2026". */
export function periodName(grain: Grain, start: string) {
  if (grain === "month") return fullMonth.format(asDate(start));
  const day = fullDay.format(asDate(start));
  return grain === "week" ? `Week of ${day}` : day;
}

/** Short labels for a chart's axis: "Dec 6", "Nov 30", "Nov 26". */
export function periodAxisLabel(grain: Grain, start: string) {
  return grain === "month" ? shortMonth.format(asDate(start)) : shortDay.format(asDate(start));
}

const percentFormat = new Intl.NumberFormat("en-US", {
  style: "percent",
  maximumFractionDigits: 1,
});

export const percentOf = (share: number | null) =>
  share === null ? "–" : percentFormat.format(share);

/** "+12.5 %" for a relative change, "+1.2 pts" for a change of a rate; null: nothing to compare. */
export function changeText(change: number | null, unit: "relative" | "points") {
  if (change === null || !Number.isFinite(change)) return null;
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  const size = Math.abs(change) * 100;
  return unit === "points"
    ? `${sign}${size.toFixed(1)} pts`
    : `${sign}${size >= 10 ? size.toFixed(0) : size.toFixed(1)} %`;
}

const number = new Intl.NumberFormat("en-US");

/** The figures of a period as table columns (after the column naming the period or segment). */
export const KPI_HEADINGS = [
  "Members",
  "Conversion",
  "Orders",
  "Revenue",
  "AOV",
  "Repeat rate",
  "Entered / left",
];

export const kpiColumnTypes = () =>
  ["text", ...KPI_HEADINGS.map(() => "numeric")] as ("text" | "numeric")[];

export function kpiCells(row: PerformanceRow, currency: string) {
  return [
    number.format(row.members),
    percentOf(row.conversion),
    number.format(row.orders),
    money(row.revenueCents, currency),
    money(row.aovCents, currency),
    percentOf(row.repeatRate),
    `+${number.format(row.entered)} / −${number.format(row.left)}`,
  ];
}

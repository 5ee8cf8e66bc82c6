/**
 * Calendar periods (day, week from Monday, month) in a shop's time zone, as the instants where
 * they start and end. Pure: the time zone is an IANA name, `now` is passed in.
 */

export const GRAINS = ["day", "week", "month"] as const;
export type Grain = (typeof GRAINS)[number];

/** How many completed periods of each grain the app keeps and shows (PRODUCT.md §10). */
export const PERIODS_KEPT: Record<Grain, number> = { day: 90, week: 52, month: 12 };

export interface Period {
  grain: Grain;
  /** The shop-local calendar day it starts on, YYYY-MM-DD. */
  start: string;
  /** Its last shop-local calendar day, YYYY-MM-DD. */
  lastDay: string;
  startAt: Date;
  endAt: Date;
}

export const isGrain = (value: unknown): value is Grain =>
  typeof value === "string" && (GRAINS as readonly string[]).includes(value);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at an instant, read as if it were UTC (milliseconds). */
function wallClock(instant: number, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
}

/** A calendar day (days since 1970-01-01) as YYYY-MM-DD. */
const dayText = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

/** The instant the zone's wall clock reads midnight of the calendar day (UTC midnight ms). */
export function zonedMidnight(utcMidnight: number, timeZone: string): Date {
  // The zone's offset near that midnight, then again at the candidate: right across DST changes.
  const firstGuess = utcMidnight - (wallClock(utcMidnight, timeZone) - utcMidnight);
  const offset = wallClock(firstGuess, timeZone) - Math.floor(firstGuess / 1000) * 1000;
  return new Date(utcMidnight - offset);
}

/** The shop-local calendar day of an instant, as the UTC midnight of that date (ms). */
function localDay(instant: Date, timeZone: string) {
  const wall = wallClock(instant.getTime(), timeZone);
  return wall - (((wall % 86_400_000) + 86_400_000) % 86_400_000);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the shop's time zone. */
export const shopDay = (at: Date, timeZone: string) => dayText(localDay(at, timeZone));

/** The first day of the grain's period containing the calendar day (UTC midnight ms). */
function periodStartDay(grain: Grain, day: number) {
  const date = new Date(day);
  if (grain === "day") return day;
  if (grain === "week") return day - ((date.getUTCDay() + 6) % 7) * 86_400_000;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** The first day of the period `steps` periods after the one starting on `startDay`. */
function shiftPeriod(grain: Grain, startDay: number, steps: number) {
  if (grain === "day") return startDay + steps * 86_400_000;
  if (grain === "week") return startDay + steps * 7 * 86_400_000;
  const date = new Date(startDay);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + steps, 1);
}

/** The `count` latest periods that ended at or before `now`, oldest first. */
export function completedPeriods(
  grain: Grain,
  timeZone: string,
  now: Date,
  count = PERIODS_KEPT[grain],
): Period[] {
  const current = periodStartDay(grain, localDay(now, timeZone));
  const periods: Period[] = [];
  for (let back = count; back >= 1; back--) {
    const startDay = shiftPeriod(grain, current, -back);
    const nextDay = shiftPeriod(grain, startDay, 1);
    periods.push({
      grain,
      start: dayText(startDay),
      lastDay: dayText(nextDay - 86_400_000),
      startAt: zonedMidnight(startDay, timeZone),
      endAt: zonedMidnight(nextDay, timeZone),
    });
  }
  return periods;
}

/** Every grain's kept completed periods at `now`. */
export function periodsKept(timeZone: string, now: Date): Period[] {
  return GRAINS.flatMap((grain) => completedPeriods(grain, timeZone, now));
}

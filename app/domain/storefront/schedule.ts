/**
 * A bar's schedule as merchants and the storefront see it: its status at a moment, times in the
 * shop's time zone (the editor's fields), and the boundaries (starts and ends) at which the
 * published bars must be written again so Shopify's page cache lets go of pages rendered before.
 */

/** A published bar's schedule (published.ts): Unix seconds, 0 for open-ended. */
interface PublishedSchedule {
  starts_at: number;
  ends_at: number;
}

export type ScheduleStatus = "off" | "scheduled" | "live" | "ended";

export interface Scheduled {
  enabled: boolean;
  schedule: { startsAt: string | null; endsAt: string | null };
}

/** Off (switched off), Scheduled (starts later), Ended (its end has passed) or Live. */
export function scheduleStatus({ enabled, schedule }: Scheduled, now: Date): ScheduleStatus {
  if (!enabled) return "off";
  const at = now.getTime();
  if (schedule.endsAt && Date.parse(schedule.endsAt) <= at) return "ended";
  if (schedule.startsAt && Date.parse(schedule.startsAt) > at) return "scheduled";
  return "live";
}

/** Minutes `timeZone` is ahead of UTC at `instant` (Berlin in summer: 120). */
export function zoneOffsetMinutes(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * A wall-clock time in `timeZone` (`2026-05-01T09:30`, a datetime-local field) as an ISO instant;
 * null when the text is not such a time. A time skipped by a clock change (02:30 on a spring-forward
 * night) is read with the offset before the change, as the clock on the wall would be read.
 */
export function zonedToUtc(local: string, timeZone: string): string | null {
  const match = LOCAL.exec(local.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1 || hour > 23 || minute > 59)
    return null;
  // The offset at the wall time read as UTC, then corrected once with the offset at the result.
  let instant = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
  instant = wall - zoneOffsetMinutes(instant, timeZone) * 60_000;
  return new Date(instant).toISOString();
}

/** An ISO instant as the wall-clock time in `timeZone`, for a datetime-local field. */
export function utcToZoned(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return "";
  return new Date(instant + zoneOffsetMinutes(instant, timeZone) * 60_000)
    .toISOString()
    .slice(0, 16);
}

/** Unix seconds of every start and end of the published bars, ascending, each once. */
function boundaries(bars: readonly PublishedSchedule[]): number[] {
  const all = bars.flatMap((bar) => [bar.starts_at, bar.ends_at]).filter((second) => second > 0);
  return [...new Set(all)].sort((a, b) => a - b);
}

/** The latest start or end at or before `now` (Unix seconds), 0 when none has passed. */
export function lastBoundary(bars: readonly PublishedSchedule[], now: Date): number {
  const seconds = Math.floor(now.getTime() / 1000);
  return boundaries(bars).findLast((second) => second <= seconds) ?? 0;
}

/**
 * Whether a start or end passed after the bars were last written to Shopify (`publishedAt`) and
 * by `now`: pages Shopify cached before it show the old choice until the metafield changes.
 */
export function boundaryPassedSince(
  bars: readonly PublishedSchedule[],
  publishedAt: Date,
  now: Date,
): boolean {
  return lastBoundary(bars, now) * 1000 > publishedAt.getTime();
}

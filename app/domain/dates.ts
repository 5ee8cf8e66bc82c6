/**
 * A date or time as people type it ("2026-01-31", "2026-01-31T09:30:00Z"), as an instant, or
 * null unless the day exists. `Date.parse` reads "2026-02-30" as March 2nd.
 */
export function parseCalendarTime(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  const time = Date.parse(value);
  if (!match || Number.isNaN(time)) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const exists = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return exists ? new Date(time) : null;
}

/** Whether the runtime knows the IANA zone name. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

// Times and money the shop's way (its time zone and currency from shopProfile), for server and
// browser alike: the same text on both, so hydration matches.

/** "Dec 7, 3:05 PM CET": a moment in the shop's time zone, with the zone named. */
export function formatShopTime(iso: string | Date, timeZone: string, withYear = false) {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    month: "short",
    day: "numeric",
    ...(withYear ? { year: "numeric" } : {}),
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** "in 4 min", "3 h ago": how far a moment is from `now`. */
export function relativeTime(iso: string | Date, now: Date) {
  const minutes = Math.round((new Date(iso).getTime() - now.getTime()) / 60_000);
  const size = Math.abs(minutes);
  const text =
    size < 1
      ? "less than a minute"
      : size < 60
        ? `${size} min`
        : size < 48 * 60
          ? `${Math.round(size / 60)} h`
          : `${Math.round(size / 1440)} days`;
  if (size < 1) return minutes >= 0 ? "within a minute" : "just now";
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

/** "Mar 4, 2026" in the zone (the same text on the server and in the browser). */
export function shopDate(at: Date | string | null, timeZone: string) {
  if (at === null) return "–";
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
  }).format(new Date(at));
}

/** "Mar 4, 2026, 3:05 PM" in the zone. */
export function shopDateTime(at: Date | string, timeZone: string) {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(at));
}

/** Minor units in the currency, exactly for any amount a shop can have. */
export function shopMoney(cents: bigint | string, currency: string) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(
    Number(BigInt(cents)) / 100,
  );
}

/** Dates and money as the segment page shows them: in the shop's time zone and currency. */

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

/**
 * From a customer's counted purchases to the four numbers the models read (PRODUCT.md §9), in
 * lifetimes' convention: purchases are counted as distinct calendar days (in the shop's time
 * zone), the first purchase day starts the customer's clock, and only the days after it are
 * "repeat" purchases.
 */

export interface Purchase {
  at: Date;
  /** The order's value in any one unit (e.g. minor units); monetary comes out in that unit. */
  value: number;
}

export interface CustomerSummary {
  customerId: string;
  /** x: repeat purchase days, i.e. distinct purchase days minus one. */
  frequency: number;
  /** t_x: time from the first to the last purchase day (0 without repeats). */
  recency: number;
  /** T: time from the first purchase day to the calibration end's day. */
  T: number;
  /** Mean value of the repeat purchase days (a day's orders summed); 0 without repeats. */
  monetary: number;
  /** Mean value of all purchase days, the first included (the heuristic's order value). */
  averageValue: number;
}

export interface SummaryOptions {
  /** Purchases after this instant are ignored; T runs to its calendar day. */
  calibrationEnd: Date;
  /** Days per time unit: 1 (days, the app's unit) or 7 (weeks, the papers'). */
  unitDays?: number;
  /** IANA zone whose calendar days count; UTC by default. */
  timeZone?: string;
}

/**
 * One customer's summary, or null when none of the purchases falls at or before the calibration
 * end. Throws on a purchase without a valid instant or a finite, non-negative value.
 */
export function summarizeCustomer(
  customerId: string,
  purchases: readonly Purchase[],
  options: SummaryOptions,
): CustomerSummary | null {
  return summarizer(options)(customerId, purchases);
}

/** Summaries of many customers; customers with nothing before the calibration end are left out. */
export function summarizeCustomers(
  purchasesByCustomer: ReadonlyMap<string, readonly Purchase[]>,
  options: SummaryOptions,
): CustomerSummary[] {
  const summarize = summarizer(options);
  const summaries: CustomerSummary[] = [];
  for (const [customerId, purchases] of purchasesByCustomer) {
    const summary = summarize(customerId, purchases);
    if (summary) summaries.push(summary);
  }
  return summaries;
}

function summarizer(options: SummaryOptions) {
  const unitDays = options.unitDays ?? 1;
  if (!(unitDays > 0)) throw new RangeError(`unitDays must be positive, got ${unitDays}`);
  const endTime = options.calibrationEnd.getTime();
  if (Number.isNaN(endTime)) throw new RangeError("calibrationEnd is not a valid date");
  const dayOf = calendarDays(options.timeZone ?? "UTC");
  const endDay = dayOf(options.calibrationEnd);
  return (customerId: string, purchases: readonly Purchase[]): CustomerSummary | null => {
    const valueByDay = new Map<number, number>();
    for (const { at, value } of purchases) {
      const time = at.getTime();
      if (Number.isNaN(time))
        throw new RangeError(`customer ${customerId}: a purchase has no date`);
      if (!(value >= 0) || !Number.isFinite(value))
        throw new RangeError(
          `customer ${customerId}: purchase value ${value} is not a sum of money`,
        );
      if (time > endTime) continue;
      const day = dayOf(at);
      valueByDay.set(day, (valueByDay.get(day) ?? 0) + value);
    }
    if (valueByDay.size === 0) return null;
    const days = [...valueByDay.keys()].sort((a, b) => a - b);
    const first = days[0];
    const total = days.reduce((sum, day) => sum + valueByDay.get(day)!, 0);
    const frequency = days.length - 1;
    return {
      customerId,
      frequency,
      recency: (days[frequency] - first) / unitDays,
      T: (endDay - first) / unitDays,
      monetary: frequency > 0 ? (total - valueByDay.get(first)!) / frequency : 0,
      averageValue: total / days.length,
    };
  };
}

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;

/**
 * Day numbers (days since 1970-01-01) of the calendar in a time zone. Offsets change only on
 * quarter-hour boundaries in every zone, so within one run each quarter hour's day number is
 * worked out once.
 */
export function calendarDays(timeZone: string): (at: Date) => number {
  if (timeZone === "UTC") return (at) => Math.floor(at.getTime() / DAY_MS);
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
    });
  } catch {
    throw new RangeError(`unknown time zone ${timeZone}`);
  }
  const byQuarterHour = new Map<number, number>();
  const dayNumber = (at: Date) => {
    const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
    let day = byQuarterHour.get(quarter);
    if (day === undefined) {
      const parts = Object.fromEntries(
        format.formatToParts(at).map((part) => [part.type, Number(part.value)]),
      );
      day = Date.UTC(parts.year, parts.month - 1, parts.day) / DAY_MS;
      byQuarterHour.set(quarter, day);
    }
    return day;
  };
  return dayNumber;
}

import { normalQuantile } from "./distributions";

/**
 * The pre-launch planner: how many customers each group needs to detect a given relative lift in
 * conversion, and how long the shop's audience takes to supply them ("about 3 weeks at your
 * volume").
 *
 * Sizes: the usual normal approximation for two shares, for unequal groups (a holdout of h makes
 * the shown group (1 − h)/h times larger), with the pooled share under "no effect" and each
 * group's own share under the lift. Two-sided test at `alpha`, `power` chance of detecting the
 * lift if it is real.
 */

/** The lift a bar's test is planned to see: a tenth more customers ordering. */
export const PLANNED_RELATIVE_LIFT = 0.1;
/**
 * The chance a bar's test is planned to have of showing that lift when it is real. 90 % rather
 * than the textbook 80 %: a merchant waits weeks for the answer, and at 80 % one working bar in
 * five would end "no measurable effect" (the lift simulation in docs/benchmarks.md measured it).
 * For a typical shop it costs one more week.
 */
export const PLANNED_POWER = 0.9;
/** How far back a bar's plan looks (bar-lift.ts), in weeks; also the longest test it plans. */
export const HISTORY_WEEKS = 10;

export interface PowerTarget {
  /** Relative lift in conversion to detect: 0.1 for +10 %. */
  relativeLift: number;
  /** The bar's holdout as a share: 0.1 for 10 %. */
  holdoutShare: number;
  /** Two-sided false-alarm rate (default 0.05). */
  alpha?: number;
  /** Chance to detect the lift when it is real (default 0.8). */
  power?: number;
}

export interface GroupSizes {
  heldOut: number;
  shown: number;
}

function checkTarget({ relativeLift, holdoutShare, alpha = 0.05, power = 0.8 }: PowerTarget) {
  if (!(relativeLift > 0))
    throw new Error(`the lift to detect must be above 0, got ${relativeLift}`);
  if (!(holdoutShare > 0 && holdoutShare < 1))
    throw new Error(`the holdout share must be between 0 and 1, got ${holdoutShare}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha must be between 0 and 1, got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new Error(`power must be between 0 and 1, got ${power}`);
}

/**
 * Customers needed per group when a held-out customer converts with probability `baseline` in the
 * test's window. Null when the lifted share would reach 100 % (nothing to detect).
 */
export function customersNeeded(baseline: number, target: PowerTarget): GroupSizes | null {
  checkTarget(target);
  if (!(baseline > 0 && baseline < 1))
    throw new Error(`the baseline conversion must be between 0 and 1, got ${baseline}`);
  const { relativeLift, holdoutShare, alpha = 0.05, power = 0.8 } = target;
  const lifted = baseline * (1 + relativeLift);
  if (lifted >= 1) return null;
  const ratio = (1 - holdoutShare) / holdoutShare;
  const pooled = (baseline + ratio * lifted) / (1 + ratio);
  const underNull = Math.sqrt(pooled * (1 - pooled) * (1 + 1 / ratio));
  const underLift = Math.sqrt(baseline * (1 - baseline) + (lifted * (1 - lifted)) / ratio);
  const heldOut =
    ((normalQuantile(1 - alpha / 2) * underNull + normalQuantile(power) * underLift) /
      (lifted - baseline)) **
    2;
  return { heldOut: Math.ceil(heldOut), shown: Math.ceil(heldOut * ratio) };
}

/** What the shop's history says a test of `days` days would see. */
export interface AudienceForecast {
  days: number;
  /** Customers who would be in the bar's audience during those days. */
  customers: number;
  /** Share of such customers who order within those days without the bar (the baseline). */
  conversion: number;
}

export interface TestPlan extends GroupSizes {
  /** Whole weeks: shoppers behave differently by weekday, so a test covers each day as often. */
  days: number;
  /** The baseline conversion the sizes are computed for. */
  baseline: number;
  /** For the merchant: "about 3 weeks". */
  duration: string;
}

/**
 * The shortest test, in whole weeks, after which the forecast audience fills both groups. Null
 * when no forecast day does (too small an audience for this lift: plan a larger one).
 */
export function planTest(
  forecast: readonly AudienceForecast[],
  target: PowerTarget,
): TestPlan | null {
  checkTarget(target);
  const byDays = [...forecast].sort((a, b) => a.days - b.days);
  const sizesAt = (row: AudienceForecast) => {
    if (!(row.conversion > 0 && row.conversion < 1)) return null;
    const needed = customersNeeded(row.conversion, target);
    const enough =
      needed &&
      row.customers * target.holdoutShare >= needed.heldOut &&
      row.customers * (1 - target.holdoutShare) >= needed.shown;
    return enough ? needed : null;
  };
  const first = byDays.find((row) => sizesAt(row));
  if (!first) return null;
  const weeks = Math.ceil(first.days / 7);
  const planned = byDays.find((row) => row.days === weeks * 7 && sizesAt(row)) ?? first;
  return {
    ...sizesAt(planned)!,
    days: weeks * 7,
    baseline: planned.conversion,
    duration: durationPhrase(weeks * 7),
  };
}

/** "5 days", "1 week", "3 weeks" (weeks from 7 days on, rounded). */
export function daysInWords(days: number): string {
  if (days < 7) return `${days} ${days === 1 ? "day" : "days"}`;
  const weeks = Math.round(days / 7);
  return `${weeks} ${weeks === 1 ? "week" : "weeks"}`;
}

/** "about 3 weeks". */
export const durationPhrase = (days: number) => `about ${daysInWords(days)}`;

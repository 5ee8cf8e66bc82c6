import { normalQuantile, studentTQuantile } from "./distributions";

/**
 * Confidence intervals for the difference between the shown and the held-out group.
 *
 * Conversion (a share of customers): Newcombe's hybrid score interval (Newcombe 1998, method
 * 10), built from each group's Wilson interval. Its coverage stays close to the nominal level
 * for small shares and small groups, where the textbook (Wald) interval is too narrow, and it
 * never leaves [−1, 1]. Holdouts are small by design (10 % of an audience), so that matters.
 *
 * Orders and revenue per customer (means): Welch's interval, with its own standard error per group
 * and the Welch–Satterthwaite degrees of freedom. The groups differ in size nine to one and a bar
 * may change the spread of spending, which is where the pooled-variance t interval goes wrong;
 * Welch's does not assume equal variances. Revenue is skewed (most customers spend nothing in a
 * window), so its interval is trustworthy once each group has a few hundred customers; the
 * verdict never rests on it.
 */

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval for `successes` out of `trials`. */
export function wilsonInterval(successes: number, trials: number, level = 0.95): Interval {
  if (trials === 0) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - level) / 2);
  const share = successes / trials;
  const z2 = z * z;
  const centre = (share + z2 / (2 * trials)) / (1 + z2 / trials);
  const half =
    (z / (1 + z2 / trials)) *
    Math.sqrt((share * (1 - share)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface Share {
  successes: number;
  trials: number;
}

/** Newcombe's hybrid score interval for the difference of two shares, a − b. */
export function shareDifferenceInterval(a: Share, b: Share, level = 0.95): Interval {
  const [pa, pb] = [a.successes / a.trials, b.successes / b.trials];
  const wa = wilsonInterval(a.successes, a.trials, level);
  const wb = wilsonInterval(b.successes, b.trials, level);
  const difference = pa - pb;
  return {
    low: difference - Math.hypot(pa - wa.low, wb.high - pb),
    high: difference + Math.hypot(wa.high - pa, pb - wb.low),
  };
}

export interface Sample {
  count: number;
  mean: number;
  /** Sample variance (divided by count − 1). */
  variance: number;
}

/** Welch's interval for the difference of two means, a − b; null below two in a group. */
export function meanDifferenceInterval(a: Sample, b: Sample, level = 0.95): Interval | null {
  if (a.count < 2 || b.count < 2) return null;
  const difference = a.mean - b.mean;
  const [ua, ub] = [a.variance / a.count, b.variance / b.count];
  const standardError = Math.sqrt(ua + ub);
  if (standardError === 0) return { low: difference, high: difference };
  const df = (ua + ub) ** 2 / (ua ** 2 / (a.count - 1) + ub ** 2 / (b.count - 1));
  const half = studentTQuantile(1 - (1 - level) / 2, df) * standardError;
  return { low: difference - half, high: difference + half };
}

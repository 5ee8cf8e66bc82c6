import type { MeasuredWindow } from "./audience";
import { isCountedOrder } from "../segments/rfm";
import type { Holdout } from "./holdout";
import { holdoutGroups } from "./holdout-slot";
import {
  liftReport,
  liftVerdict,
  summarizeGroup,
  windowOutcomes,
  type CountableOrder,
  type GroupSummary,
  type LiftReport,
  type Verdict,
} from "./lift";
import {
  HISTORY_WEEKS,
  planTest,
  PLANNED_POWER,
  PLANNED_RELATIVE_LIFT,
  type AudienceForecast,
  type TestPlan,
} from "./sample-size";

/**
 * A bar's lift report from the rows the app keeps (PRODUCT.md §8): its audience split by the
 * storefront's own holdout assignment, each customer's counted orders in the window, the
 * comparison and the verdict; and the test's plan, made from the shop's history before launch.
 */

const DAY_MS = 86_400_000;

/**
 * What the shop's history says a test starting at `launch` would see: for each whole number of
 * weeks back, the share of the audience at launch who placed a counted order in that many weeks
 * before it. The audience is taken as it stands at launch (customers who join later only add to
 * the groups, so the plan errs long).
 */
export function historyForecast(
  audience: readonly string[],
  orders: Iterable<CountableOrder>,
  launch: Date,
  weeks = HISTORY_WEEKS,
): AudienceForecast[] {
  if (audience.length === 0) return [];
  // Each audience customer's latest counted order before launch: they ordered within d days
  // before it when that order is at most d days old.
  const latest = new Map<string, number>(audience.map((id) => [id, -Infinity]));
  const before = new Date(launch.getTime() - 1);
  for (const order of orders) {
    const previous = order.customerId === null ? undefined : latest.get(order.customerId);
    if (previous === undefined || !isCountedOrder(order, before)) continue;
    latest.set(order.customerId!, Math.max(previous, order.processedAt.getTime()));
  }
  const ages = [...latest.values()].map((at) => launch.getTime() - at);
  return Array.from({ length: weeks }, (_, index) => {
    const days = 7 * (index + 1);
    const converted = ages.filter((age) => age <= days * DAY_MS).length;
    return { days, customers: audience.length, conversion: converted / audience.length };
  });
}

/** The plan for a bar holding out `holdout`, from the history before `launch`. */
export function plannedTest(
  launchAudience: readonly string[],
  orders: Iterable<CountableOrder>,
  launch: Date,
  holdout: Holdout,
): TestPlan | null {
  if (holdout.percent <= 0) return null;
  return planTest(historyForecast(launchAudience, orders, launch), {
    relativeLift: PLANNED_RELATIVE_LIFT,
    holdoutShare: holdout.percent / 100,
    power: PLANNED_POWER,
  });
}

export interface BarLiftInput {
  /** The bar's holdout as the storefront applies it (published.ts). */
  holdout: Holdout;
  window: MeasuredWindow;
  /** Customers in the bar's audience at some moment of the window (audience.ts). */
  audience: Iterable<string>;
  /** Those of them in it when the window opened: the plan's audience. */
  launchAudience: readonly string[];
  /** Orders of the window and of the history before it (HISTORY_WEEKS); any others are ignored. */
  orders: readonly CountableOrder[];
}

export interface BarLift {
  window: MeasuredWindow;
  elapsedDays: number;
  shown: GroupSummary;
  heldOut: GroupSummary;
  report: LiftReport;
  verdict: Verdict;
  plan: TestPlan | null;
  /** Customers in the audience when the window opened, whom the plan was made for. */
  launchCustomers: number;
}

export function barLift({
  holdout,
  window,
  audience,
  launchAudience,
  orders,
}: BarLiftInput): BarLift {
  const groups = holdoutGroups(audience, holdout);
  const shown = summarizeGroup(windowOutcomes(groups.shown, orders, window));
  const heldOut = summarizeGroup(windowOutcomes(groups.heldOut, orders, window));
  const plan = plannedTest(launchAudience, orders, window.from, holdout);
  const elapsedDays = (window.to.getTime() - window.from.getTime()) / DAY_MS;
  return {
    window,
    elapsedDays,
    shown,
    heldOut,
    report: liftReport(shown, heldOut),
    verdict: liftVerdict(shown, heldOut, { elapsedDays, plan }),
    plan,
    launchCustomers: launchAudience.length,
  };
}

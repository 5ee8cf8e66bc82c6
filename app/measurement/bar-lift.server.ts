// A saved bar's lift report (PRODUCT.md §8) from the database: the bar's window and audience, the
// orders of that window and of the history before it; the decisions are the domain's
// (measurement/audience.ts, measurement/bar-lift.ts). The results page and the lift simulation
// both read bars through here.
import {
  everyCustomerAudience,
  measuredWindow,
  segmentAudience,
  type MeasuredWindow,
} from "~/domain/measurement/audience";
import { barLift, plannedTest, type BarLift } from "~/domain/measurement/bar-lift";
import { HISTORY_WEEKS, type TestPlan } from "~/domain/measurement/sample-size";
import type { BarConfig, StoredBar } from "~/domain/storefront/bars";
import { publishedHoldouts } from "~/domain/storefront/published";
import { scheduleStatus, type ScheduleStatus } from "~/domain/storefront/schedule";
import { listBars } from "~/models/bars.server";
import {
  barSavedAt,
  customerOrdersBetween,
  customersCreatedBy,
  segmentTrails,
} from "~/models/lift-rows.server";
import { listSegments } from "~/models/segments.server";

const DAY_MS = 86_400_000;

export interface MeasuredBarSummary {
  id: string;
  name: string;
  status: ScheduleStatus;
  holdoutPercent: number;
  segments: string[];
}

export type BarResults =
  /** No holdout (or one lost to a race with another bar's): nothing to compare. */
  | { kind: "no-holdout"; bar: MeasuredBarSummary }
  /** Not live with this holdout yet: the plan from the history up to now. */
  | { kind: "not-started"; bar: MeasuredBarSummary; audience: number; plan: TestPlan | null }
  | { kind: "measured"; bar: MeasuredBarSummary; lift: BarLift };

/** The audience during the window and at its start, for `window.from` to `window.to`. */
async function audiences(shop: string, config: BarConfig, window: MeasuredWindow) {
  const atStart = { from: window.from, to: window.from };
  const handles = config.audience.segments;
  if (handles.length === 0) {
    const customers = await customersCreatedBy(shop, window.to);
    return {
      during: everyCustomerAudience(customers, window),
      atStart: everyCustomerAudience(customers, atStart),
    };
  }
  const segmentIds = (await listSegments(shop))
    .filter((segment) => handles.includes(segment.handle))
    .map((segment) => segment.id);
  const { current, events } = await segmentTrails(shop, segmentIds, window.from);
  return {
    during: segmentAudience(current, events, window),
    atStart: segmentAudience(current, events, atStart),
  };
}

const historyStart = (launch: Date) => new Date(launch.getTime() - HISTORY_WEEKS * 7 * DAY_MS);

function summary(bar: StoredBar, now: Date): MeasuredBarSummary {
  return {
    id: bar.id,
    name: bar.name,
    status: scheduleStatus({ enabled: bar.enabled, schedule: bar.config.schedule }, now),
    holdoutPercent: bar.config.holdout.percent,
    segments: bar.config.audience.segments,
  };
}

/** The bar's results as of `now`; null when the shop has no such bar. */
export async function barResults(
  shop: string,
  id: string,
  now = new Date(),
): Promise<BarResults | null> {
  const [bars, updatedAt] = await Promise.all([listBars(shop), barSavedAt(shop, id)]);
  const bar = bars.find((candidate) => candidate.id === id);
  if (!bar || !updatedAt) return null;
  const holdout = publishedHoldouts(bars).get(id)!;
  if (holdout.percent === 0) return { kind: "no-holdout", bar: summary(bar, now) };
  const window = measuredWindow({ ...bar.config, enabled: bar.enabled, updatedAt }, now);
  if (!window) {
    const { atStart } = await audiences(shop, bar.config, { from: now, to: now });
    const orders = await customerOrdersBetween(shop, historyStart(now), now);
    return {
      kind: "not-started",
      bar: summary(bar, now),
      audience: atStart.size,
      plan: plannedTest([...atStart], orders, now, holdout),
    };
  }
  const [audience, orders] = await Promise.all([
    audiences(shop, bar.config, window),
    customerOrdersBetween(shop, historyStart(window.from), window.to),
  ]);
  return {
    kind: "measured",
    bar: summary(bar, now),
    lift: barLift({
      holdout,
      window,
      audience: audience.during,
      launchAudience: [...audience.atStart],
      orders,
    }),
  };
}

// A bar's report from rows (PRODUCT.md §8): the history forecast the plan rests on, and the split,
// counting and verdict of barLift.
import { describe, expect, it } from "vitest";
import { barLift, historyForecast, plannedTest } from "~/domain/measurement/bar-lift";
import { isHeldOut } from "~/domain/measurement/holdout-slot";
import { customersNeeded, PLANNED_POWER } from "~/domain/measurement/sample-size";

const DAY = 86_400_000;
const launch = new Date(Date.UTC(2026, 2, 2));
const day = (offset: number) => new Date(launch.getTime() + offset * DAY);
const order = (customerId: string, at: Date, totalCents = 2500, changes = {}) => ({
  customerId,
  processedAt: at,
  cancelledAt: null,
  test: false,
  totalCents: BigInt(totalCents),
  ...changes,
});
const ids = (count: number, first = 1) =>
  Array.from({ length: count }, (_, index) => `gid://shopify/Customer/${first + index}`);

describe("history forecast", () => {
  it("gives, per whole week back from launch, the share of the audience with a counted order", () => {
    const audience = ids(4);
    const forecast = historyForecast(
      audience,
      [
        order(audience[0], day(-1)),
        order(audience[0], day(-2)), // the same customer twice: counted once
        order(audience[1], day(-10)),
        order(audience[2], day(-3), 100, { cancelledAt: day(-2) }),
        order(audience[3], day(0)), // at launch: not history
        order("gid://shopify/Customer/99", day(-1)), // not in the audience
      ],
      launch,
      3,
    );
    expect(forecast).toEqual([
      { days: 7, customers: 4, conversion: 0.25 },
      { days: 14, customers: 4, conversion: 0.5 },
      { days: 21, customers: 4, conversion: 0.5 },
    ]);
    expect(historyForecast([], [], launch)).toEqual([]);
  });

  it("plans the shortest whole-week test the audience fills, and none without a holdout", () => {
    // 20,000 customers, of whom a fifth ordered in any week before launch (a fresh fifth each week).
    const audience = ids(20_000);
    const orders = audience.map((id, index) => order(id, day(-1 - 7 * (index % 5) - 0.5)));
    const holdout = { percent: 10, start: 0 };
    const plan = plannedTest(audience, orders, launch, holdout)!;
    // One week (20 % ordered) is too short for 2,000 held out; two weeks (40 %) are enough.
    const target = { relativeLift: 0.1, holdoutShare: 0.1, power: PLANNED_POWER };
    expect(customersNeeded(0.2, target)!.heldOut).toBeGreaterThan(2000);
    const needed = customersNeeded(0.4, target)!;
    expect(plan).toEqual({ days: 14, baseline: 0.4, ...needed, duration: "about 2 weeks" });
    expect(plannedTest(audience, orders, launch, { percent: 0, start: null })).toBeNull();
  });
});

describe("bar lift", () => {
  const holdout = { percent: 30, start: 40 };
  const audience = ids(200);
  const window = { from: launch, to: day(14) };
  // Every third customer orders twice in the window (one order cancelled for every ninth).
  const orders = audience.flatMap((id, index) =>
    index % 3 === 0
      ? [
          order(id, day(1), 1000 + index),
          order(id, day(2), 500, index % 9 === 0 ? { test: true } : {}),
        ]
      : [],
  );

  it("splits the audience as the storefront holds it out and counts each group's orders", () => {
    const lift = barLift({ holdout, window, audience, launchAudience: audience, orders });
    const heldOut = audience.filter((id) => isHeldOut(id, holdout));
    expect(lift.heldOut.customers).toBe(heldOut.length);
    expect(lift.shown.customers).toBe(200 - heldOut.length);
    const buyers = (group: string[]) => group.filter((id) => audience.indexOf(id) % 3 === 0).length;
    expect(lift.heldOut.converted).toBe(buyers(heldOut));
    const heldOutOrders = heldOut
      .map((id) => audience.indexOf(id))
      .filter((index) => index % 3 === 0)
      .reduce((sum, index) => sum + (index % 9 === 0 ? 1 : 2), 0);
    expect(lift.heldOut.orders.mean).toBeCloseTo(heldOutOrders / heldOut.length, 12);
    expect(lift.elapsedDays).toBe(14);
    expect(lift.report.shownCustomers).toBe(lift.shown.customers);
    // Two hundred customers cannot fill a test for a 10 % rise: no plan, so no verdict yet.
    expect(lift.plan).toBeNull();
    expect(lift.verdict.call).toBe("too-early");
  });

  it("ignores orders outside the window and customers outside the audience", () => {
    const extra = [
      order(audience[1], day(-3)),
      order(audience[1], day(15)),
      order("gid://shopify/Customer/9999", day(3)),
    ];
    const base = barLift({ holdout, window, audience, launchAudience: audience, orders });
    const more = barLift({
      holdout,
      window,
      audience,
      launchAudience: audience,
      orders: [...orders, ...extra],
    });
    expect(more.shown).toEqual(base.shown);
    expect(more.heldOut).toEqual(base.heldOut);
  });
});

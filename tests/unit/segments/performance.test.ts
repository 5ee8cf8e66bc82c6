import { describe, expect, it } from "vitest";
import { periodKpis, relativeChange, replayPeriods } from "~/domain/segments/performance";
import { completedPeriods } from "~/domain/segments/periods";
import { DEFAULT_SHOP_SETTINGS } from "~/domain/settings";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);
const at = (days: number) => T0 + days * DAY;

const segments = [
  { id: "s-one", handle: "one-time" },
  { id: "s-repeat", handle: "repeat" },
  { id: "s-never", handle: "never-purchased" },
  // Not built in: nothing to replay, no rows.
  { id: "s-custom", handle: "my-custom" },
];

/** June 2 (UTC), the day this store's figures are checked on. */
const [june2] = completedPeriods("day", "UTC", new Date(at(2) + 3_600_000), 1);

function replay(orders: { customerId: string; days: number; cents: number }[]) {
  const steps = replayPeriods({
    customers: [
      { id: "a", createdAt: at(0) },
      { id: "b", createdAt: at(0) },
      { id: "c", createdAt: at(1.5) },
    ],
    orders: orders.map((order) => ({
      customerId: order.customerId,
      at: at(order.days),
      totalCents: BigInt(order.cents),
      usedDiscountCode: false,
    })),
    segments: segments.filter((segment) => segment.id !== "s-custom"),
    settings: DEFAULT_SHOP_SETTINGS,
    periods: [june2],
  });
  return [...steps].flat();
}

describe("replaying a period", () => {
  it("follows the members at the start, sizes at the end, and counts who came and went", () => {
    expect(june2.start).toBe("2026-06-02");
    const stats = replay([
      { customerId: "a", days: 0.5, cents: 10_000 },
      { customerId: "a", days: 1.5, cents: 20_000 },
      { customerId: "a", days: 1.8, cents: 1_000 },
      { customerId: "b", days: 1.2, cents: 5_000 },
    ]);
    const bySegment = new Map(stats.map((stat) => [stat.segmentId, stat]));
    // At the start a had one order (one-time), b none; c did not exist yet.
    expect(bySegment.get("s-one")).toMatchObject({
      grain: "day",
      start: "2026-06-02",
      cohort: 1,
      members: 1, // b, after their first order
      buyers: 1,
      orders: 2,
      revenueCents: 21_000n,
      repeatBuyers: 1, // a came back within the day
      entered: 1,
      left: 1,
    });
    expect(bySegment.get("s-repeat")).toMatchObject({
      cohort: 0,
      members: 1,
      buyers: 0,
      orders: 0,
      entered: 1,
      left: 0,
    });
    expect(bySegment.get("s-never")).toMatchObject({
      cohort: 1, // b
      members: 1, // c, created during the day
      buyers: 1,
      orders: 1,
      revenueCents: 5_000n,
      repeatBuyers: 0, // b ordered once
      entered: 1,
      left: 1,
    });
    expect(bySegment.has("s-custom")).toBe(false);
  });

  it("puts an order at the stroke of midnight in the day that ends then", () => {
    const stats = replay([
      { customerId: "a", days: 1, cents: 1_000 },
      { customerId: "b", days: 2, cents: 2_000 },
    ]);
    const never = stats.find((stat) => stat.segmentId === "s-never")!;
    // a's order at the start made a a buyer before the period; b's at the end is in it.
    expect(never).toMatchObject({ cohort: 1, buyers: 1, orders: 1, revenueCents: 2_000n });
  });
});

describe("period figures", () => {
  it("derives conversion, AOV (rounded down) and repeat rate, and none without a base", () => {
    const base = { members: 10, entered: 2, left: 1 };
    expect(
      periodKpis({
        ...base,
        cohort: 4,
        buyers: 2,
        repeatBuyers: 1,
        orders: 3,
        revenueCents: 1_000n,
      }),
    ).toMatchObject({ conversion: 0.5, aovCents: 333n, repeatRate: 0.5, orders: 3 });
    expect(
      periodKpis({ ...base, cohort: 0, buyers: 0, repeatBuyers: 0, orders: 0, revenueCents: 0n }),
    ).toMatchObject({ conversion: null, aovCents: null, repeatRate: null });
  });

  it("compares with the period before, relatively", () => {
    expect(relativeChange(110, 100)).toBeCloseTo(0.1);
    expect(relativeChange(5_000n, 10_000n)).toBe(-0.5);
    expect(relativeChange(3, 0)).toBeNull();
    expect(relativeChange(null, 4)).toBeNull();
  });
});

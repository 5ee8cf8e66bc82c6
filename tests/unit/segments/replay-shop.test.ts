import { describe, expect, it } from "vitest";
import { handleMask } from "~/domain/segments/member-masks";
import { replayPeriods } from "~/domain/segments/performance";
import { completedPeriods } from "~/domain/segments/periods";
import { mergeSorted, ReplayShop, type ReplayOrder } from "~/domain/segments/replay-shop";
import { NO_ORDERS, type OrderAggregate } from "~/domain/segments/rfm";
import { scoreShop } from "~/domain/segments/scoring";
import { DEFAULT_SHOP_SETTINGS } from "~/domain/settings";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** 60 customers and 200 orders over 100 days, with ties and discount codes. */
const customers = Array.from({ length: 60 }, (_, index) => ({
  id: `c${index}`,
  createdAt: T0 + (index % 30) * DAY,
})).sort((a, b) => a.createdAt - b.createdAt);
const orders: ReplayOrder[] = Array.from({ length: 200 }, (_, index) => ({
  customerId: `c${(index * 7) % 45}`,
  at: T0 + Math.floor((index * 100) / 200) * DAY + (index % 3) * 3_600_000,
  totalCents: BigInt(1_000 + ((index * 7919) % 5) * 2_500),
  usedDiscountCode: index % 4 === 0,
}));

/** The customers' masks as scoreShop decides them from aggregates built afresh. */
function expectedMasks(asOf: number) {
  const aggregates = new Map<string, OrderAggregate>();
  for (const customer of customers)
    if (customer.createdAt <= asOf) aggregates.set(customer.id, NO_ORDERS);
  for (const order of orders.filter((order) => order.at <= asOf)) {
    const before = aggregates.get(order.customerId) ?? NO_ORDERS;
    aggregates.set(order.customerId, {
      orders: before.orders + 1,
      spentCents: before.spentCents + order.totalCents,
      discountOrders: before.discountOrders + (order.usedDiscountCode ? 1 : 0),
      firstOrderAt: before.firstOrderAt ?? new Date(order.at),
      lastOrderAt: new Date(order.at),
    });
  }
  const { scores } = scoreShop(aggregates, DEFAULT_SHOP_SETTINGS, new Date(asOf));
  return new Map([...scores].map(([id, score]) => [id, handleMask(score)]));
}

describe("the replay's shop", () => {
  it("scores everyone as scoreShop does, while orders move the buyers between scorings", () => {
    const shop = new ReplayShop();
    const numbered = new Map<string, number>();
    let nextCustomer = 0;
    let nextOrder = 0;
    for (const day of [5, 6, 20, 21, 60, 99, 140]) {
      const asOf = T0 + day * DAY;
      for (; nextCustomer < customers.length && customers[nextCustomer].createdAt <= asOf;)
        shop.addCustomer(customers[nextCustomer++].id);
      for (; nextOrder < orders.length && orders[nextOrder].at <= asOf; nextOrder++)
        numbered.set(orders[nextOrder].customerId, shop.addOrder(orders[nextOrder]));
      const masks = new Uint32Array(shop.size);
      // In two slices, as the replay scores a large shop.
      const half = Math.floor(shop.size / 2);
      shop.scoreInto(masks, 0, half, DEFAULT_SHOP_SETTINGS, new Date(asOf));
      shop.scoreInto(masks, half, shop.size, DEFAULT_SHOP_SETTINGS, new Date(asOf));

      const expected = expectedMasks(asOf);
      expect(masks.filter((mask) => mask !== 0)).toHaveLength(expected.size);
      for (const [id, index] of numbered) expect(masks[index]).toBe(expected.get(id));
    }
    expect(nextOrder).toBe(orders.length);
  });

  it("numbers a customer first met by an order, who is then a customer", () => {
    const shop = new ReplayShop();
    shop.addCustomer("a");
    const index = shop.addOrder({
      customerId: "b",
      at: T0,
      totalCents: 500n,
      usedDiscountCode: false,
    });
    expect(index).toBe(1);
    shop.addCustomer("b");
    const masks = new Uint32Array(shop.size);
    shop.scoreInto(masks, 0, shop.size, DEFAULT_SHOP_SETTINGS, new Date(T0 + DAY));
    expect(masks[1]).toBe(
      handleMask({ rfmGroup: "dormant", lifecycle: ["one-time", "new-buyers"] }),
    );
    expect(masks[0]).toBe(handleMask({ rfmGroup: "prospects", lifecycle: ["never-purchased"] }));
  });
});

describe("replaying in steps", () => {
  it("yields the same periods whether it pauses after every customer or not at all", () => {
    const periods = [
      ...completedPeriods("day", "UTC", new Date(T0 + 100 * DAY), 10),
      ...completedPeriods("week", "UTC", new Date(T0 + 100 * DAY), 4),
    ];
    const segments = ["champions", "at-risk", "one-time", "repeat", "vip", "never-purchased"].map(
      (handle) => ({ id: `s-${handle}`, handle }),
    );
    const replay = (customersPerStep: number) => [
      ...replayPeriods({
        customers,
        orders,
        segments,
        settings: DEFAULT_SHOP_SETTINGS,
        periods,
        customersPerStep,
      }),
    ];
    const everyCustomer = replay(1);
    const atOnce = replay(1_000);
    expect(everyCustomer.length).toBeGreaterThan(atOnce.length);
    expect(everyCustomer.flat()).toEqual(atOnce.flat());
    expect(atOnce.flat()).toHaveLength(14 * segments.length);
  });
});

describe("merging sorted batches", () => {
  it("keeps the time order across both lists, ties included", () => {
    const first = [1, 3, 3, 8].map((at) => ({ at, from: "first" }));
    const second = [0, 3, 9].map((at) => ({ at, from: "second" }));
    const merged = mergeSorted(first, second, (item) => item.at);
    expect(merged.map((item) => item.at)).toEqual([0, 1, 3, 3, 3, 8, 9]);
    expect(merged.filter((item) => item.from === "first")).toEqual(first);
    expect(mergeSorted([], second, (item) => item.at)).toEqual(second);
    expect(mergeSorted(first, [], (item) => item.at)).toEqual(first);
  });
});

// Live traffic with a known effect, driven step by step: the customers the effect applies to
// order more often by the set relative amount, everyone else as without it, and opportunityOdds
// (what simulations take as the truth) matches what the traffic does.
import { describe, expect, it } from "vitest";
import {
  customerPickShare,
  generateStore,
  opportunityOdds,
  trafficSource,
  type TrafficOptions,
} from "../src";
import { NOW } from "./helpers";

describe("traffic with an effect", () => {
  it("picks earlier customers more often, with shares that add up to one", () => {
    const shares = Array.from({ length: 50 }, (_, index) => customerPickShare(index, 50));
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
    expect(shares[0]).toBeCloseTo(0.02 ** (2 / 3), 12);
    expect(shares[0]).toBeGreaterThan(shares[49] * 5);
  });

  it("leaves the unaffected as they were and raises the affected by the relative lift", () => {
    const plain: TrafficOptions = { newCustomerShare: 0, guestShare: 0.05 };
    const effect = { applies: () => true, relativeLift: 0.3 };
    const withEffect = { ...plain, effect };
    const before = opportunityOdds(plain, 3, 40, false);
    expect(opportunityOdds(withEffect, 3, 40, false).expected).toBeCloseTo(before.expected, 15);
    expect(opportunityOdds(withEffect, 3, 40, true).expected).toBeCloseTo(
      1.3 * before.expected,
      15,
    );
    const lower = { ...plain, effect: { ...effect, relativeLift: -0.5 } };
    expect(opportunityOdds(lower, 3, 40, true).expected).toBeCloseTo(0.5 * before.expected, 15);
    expect(opportunityOdds(lower, 3, 40, false).none).toBeCloseTo(before.none, 15);
  });

  it("places orders as opportunityOdds says", () => {
    const store = generateStore({ customers: 60, seed: 4, now: NOW });
    const ids = [...store.customers.keys()];
    const affected = new Set(ids.filter((_, index) => index % 2 === 1));
    const options: TrafficOptions = {
      seed: 11,
      newCustomerShare: 0,
      guestShare: 0.1,
      effect: { applies: (id) => affected.has(id), relativeLift: 0.6 },
    };
    const source = trafficSource(store, options);
    const window = 10;
    const windows = 1_500;
    const orders = new Map<number, number>();
    const windowsWithout = new Map<number, number>();
    for (let index = 0; index < windows; index++) {
      const ordered = new Set<number>();
      for (let step = 0; step < window; step++)
        for (const order of source.placeOrders()) {
          orders.set(order.customerId!, (orders.get(order.customerId!) ?? 0) + 1);
          if (order.customerId !== null) ordered.add(order.customerId);
        }
      for (const id of ids)
        if (!ordered.has(id)) windowsWithout.set(id, (windowsWithout.get(id) ?? 0) + 1);
    }
    ids.forEach((id, index) => {
      const odds = opportunityOdds(options, index, ids.length, affected.has(id));
      const expected = odds.expected * window * windows;
      // Within four standard deviations (orders are near Poisson; windows without are binomial).
      expect(Math.abs((orders.get(id) ?? 0) - expected), `orders of ${index}`).toBeLessThan(
        4 * Math.sqrt(expected),
      );
      const none = odds.none ** window;
      const spread = Math.sqrt(windows * none * (1 - none));
      expect(
        Math.abs((windowsWithout.get(id) ?? 0) - windows * none),
        `windows of ${index}`,
      ).toBeLessThan(4 * spread + 1);
    });
    expect(store.customers.size).toBe(60);
  });

  it("refuses an effect that would make orders impossible", () => {
    const store = generateStore({ customers: 3, seed: 4, now: NOW });
    expect(() =>
      trafficSource(store, { effect: { applies: () => true, relativeLift: -1 } }),
    ).toThrow(/above −1/);
  });
});

import { describe, expect, it } from "vitest";
import {
  DEFAULT_REPURCHASE_OPTIONS,
  repurchaseIntervals,
  type CustomerOrder,
} from "~/domain/buy-again/repurchase-intervals";

const START = Date.UTC(2026, 0, 1);
const AS_OF = new Date(Date.UTC(2026, 11, 31));
const day = (n: number, hours = 0) => new Date(START + n * 86_400_000 + hours * 3_600_000);

/** One order per day listed, each with the given products. */
const ordersOf = (customerId: string, days: number[], productIds: string[]): CustomerOrder[] =>
  days.map((n) => ({ customerId, processedAt: day(n), productIds }));

const COFFEE = "gid://shopify/Product/1";
const JACKET = "gid://shopify/Product/2";
const none = new Set<string>();

describe("repurchase intervals", () => {
  it("is the median gap between one customer's consecutive purchases, pooled over customers", () => {
    const orders = [
      ...ordersOf("a", [0, 30, 58], [COFFEE]), // gaps 30, 28
      ...ordersOf("b", [10, 45], [COFFEE]), // gap 35
      ...ordersOf("c", [5], [COFFEE]),
    ];
    expect(repurchaseIntervals(orders, AS_OF, none)).toEqual([
      { productId: COFFEE, days: 30, repurchases: 3, repeatCustomers: 2, customers: 3 },
    ]);
  });

  it("leaves out one-off products and products with too little evidence", () => {
    const jackets = ["a", "b", "c", "d"].flatMap((customer) => ordersOf(customer, [3], [JACKET]));
    // One customer's repurchases are a habit of theirs, not of the product's buyers.
    const oneCustomer = ordersOf("a", [0, 20, 40, 60], [COFFEE]);
    // Two repurchases are below the minimum of three.
    const twoRepurchases = [
      ...ordersOf("a", [0, 20], [COFFEE]),
      ...ordersOf("b", [0, 20], [COFFEE]),
    ];
    expect(repurchaseIntervals(jackets, AS_OF, none)).toEqual([]);
    expect(repurchaseIntervals(oneCustomer, AS_OF, none)).toEqual([]);
    expect(repurchaseIntervals(twoRepurchases, AS_OF, none)).toEqual([]);
    expect(DEFAULT_REPURCHASE_OPTIONS.minRepurchases).toBe(3);
  });

  it("needs a share of the product's buyers to come back", () => {
    const repeaters = [
      ...ordersOf("a", [0, 20, 40], [COFFEE]),
      ...ordersOf("b", [0, 20], [COFFEE]),
    ];
    const oneTimers = Array.from({ length: 19 }, (_, index) =>
      ordersOf(`o${index}`, [5], [COFFEE]),
    ).flat();
    // 2 of 21 buyers came back: under 10 %.
    expect(repurchaseIntervals([...repeaters, ...oneTimers], AS_OF, none)).toEqual([]);
    expect(repurchaseIntervals([...repeaters, ...oneTimers.slice(1)], AS_OF, none)).toHaveLength(1);
  });

  it("counts purchases split over orders on the same day once", () => {
    const orders: CustomerOrder[] = [
      { customerId: "a", processedAt: day(0), productIds: [COFFEE] },
      { customerId: "a", processedAt: day(0, 3), productIds: [COFFEE] },
      { customerId: "a", processedAt: day(20), productIds: [COFFEE] },
      { customerId: "a", processedAt: day(40), productIds: [COFFEE, COFFEE] },
      ...ordersOf("b", [0, 22], [COFFEE]),
    ];
    expect(repurchaseIntervals(orders, AS_OF, none)).toEqual([
      { productId: COFFEE, days: 20, repurchases: 3, repeatCustomers: 2, customers: 2 },
    ]);
  });

  it("leaves out guests' orders: they are nobody's habit", () => {
    const guests = ordersOf("a", [0, 30, 60], [COFFEE]).map((order) => ({
      ...order,
      customerId: null,
    }));
    expect(
      repurchaseIntervals([...guests, ...ordersOf("b", [0, 30, 60], [COFFEE])], AS_OF, none),
    ).toEqual([]);
  });

  it("leaves out excluded products (gift cards, add-ons, the merchant's exclusions)", () => {
    const orders = [...ordersOf("a", [0, 30, 60], [COFFEE]), ...ordersOf("b", [0, 30], [COFFEE])];
    expect(repurchaseIntervals(orders, AS_OF, new Set([COFFEE]))).toEqual([]);
  });

  it("uses only orders at or before the as-of date", () => {
    const orders = [...ordersOf("a", [0, 30, 60], [COFFEE]), ...ordersOf("b", [0, 30], [COFFEE])];
    expect(repurchaseIntervals(orders, day(60), none)).toHaveLength(1);
    expect(repurchaseIntervals(orders, day(59), none)).toEqual([]);
  });
});

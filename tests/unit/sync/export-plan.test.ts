import { describe, expect, it } from "vitest";
import {
  exportSteps,
  exportsToPrestart,
  orderSliceCount,
  orderSlices,
} from "~/domain/sync/export-plan";

describe("orderSlices", () => {
  const oldest = new Date("2026-01-01T00:00:00.000Z");
  const until = new Date("2026-01-31T00:00:00.000Z");

  it("cuts the span into equal, adjoining, open-ended date ranges", () => {
    expect(orderSlices(oldest, until, 3)).toEqual([
      "created_at:<'2026-01-11T00:00:00.000Z'",
      "created_at:>='2026-01-11T00:00:00.000Z' created_at:<'2026-01-21T00:00:00.000Z'",
      "created_at:>='2026-01-21T00:00:00.000Z'",
    ]);
  });

  it("exports everything at once for one slice, no orders, or no span", () => {
    expect(orderSlices(oldest, until, 1)).toEqual([null]);
    expect(orderSlices(null, until, 3)).toEqual([null]);
    expect(orderSlices(until, until, 3)).toEqual([null]);
  });
});

describe("orderSliceCount", () => {
  it("makes a slice per started `ordersPerSlice` orders, four at most", () => {
    expect(orderSliceCount(0, 100)).toBe(0);
    expect(orderSliceCount(100, 100)).toBe(1);
    expect(orderSliceCount(101, 100)).toBe(2);
    expect(orderSliceCount(10_000, 100)).toBe(4);
  });
});

describe("exportSteps", () => {
  it("exports customers, products, then each orders slice, keyed by its place", () => {
    expect(exportSteps(["created_at:<'x'", "created_at:>='x'"])).toEqual([
      { phase: "customers", key: "customers", search: null },
      { phase: "products", key: "products", search: null },
      { phase: "orders", key: "orders#0", search: "created_at:<'x'" },
      { phase: "orders", key: "orders#1", search: "created_at:>='x'" },
    ]);
  });
});

describe("exportsToPrestart", () => {
  const steps = exportSteps([null, null, null]);
  const keys = (current: number, prestarted: Record<string, string> = {}) =>
    exportsToPrestart(steps, current, prestarted).map((step) => step.key);

  it("starts the two exports after the current one", () => {
    expect(keys(0)).toEqual(["products", "orders#0"]);
    expect(keys(3)).toEqual(["orders#2"]);
    expect(keys(4)).toEqual([]);
  });

  it("leaves out those already started ahead", () => {
    expect(keys(1, { "orders#0": "gid://shopify/BulkOperation/1" })).toEqual(["orders#1"]);
  });
});

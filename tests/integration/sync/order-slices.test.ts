import { describe, expect, it } from "vitest";
import { orderSlices } from "~/sync/full-sync.server";

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

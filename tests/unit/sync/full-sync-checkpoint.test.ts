import { describe, expect, it } from "vitest";
import {
  exportLost,
  exportStarted,
  parseCheckpoint,
  plannerStatisticsDue,
  stepDone,
  takePrestarted,
} from "~/domain/sync/full-sync-checkpoint";

const fresh = parseCheckpoint("");

describe("the full sync checkpoint", () => {
  it("starts at the first step with nothing done, and keeps what was stored", () => {
    expect(fresh).toEqual({
      step: 0,
      orderSlices: null,
      bulkOperationId: null,
      linesDone: 0,
      recordsBefore: 0,
      phaseAttempts: 0,
      prestarted: {},
    });
    expect(parseCheckpoint('{"step":2,"linesDone":30000}')).toEqual({
      ...fresh,
      step: 2,
      linesDone: 30000,
    });
  });

  it("takes a step's export started ahead as its first attempt", () => {
    const checkpoint = { ...fresh, prestarted: { products: "op-1", "orders#0": "op-2" } };
    expect(takePrestarted(checkpoint, "products")).toEqual({
      bulkOperationId: "op-1",
      linesDone: 0,
      phaseAttempts: 1,
      prestarted: { "orders#0": "op-2" },
    });
    expect(takePrestarted(checkpoint, "customers")).toBeNull();
    // A resumed step keeps the export it was importing.
    expect(takePrestarted({ ...checkpoint, bulkOperationId: "op-0" }, "products")).toBeNull();
  });

  it("counts the exports a step started and starts a lost one over from the first line", () => {
    expect(exportStarted({ ...fresh, phaseAttempts: 1 }, "op-3")).toEqual({
      bulkOperationId: "op-3",
      linesDone: 0,
      phaseAttempts: 2,
    });
    expect(exportLost).toEqual({ bulkOperationId: null, linesDone: 0 });
  });

  it("moves to the next step with the records done so far", () => {
    expect(stepDone(1, 420)).toEqual({
      step: 2,
      bulkOperationId: null,
      linesDone: 0,
      phaseAttempts: 0,
      recordsBefore: 420,
    });
  });
});

describe("planner statistics during an import", () => {
  it("are refreshed at 2,000 lines, then whenever the import has doubled", () => {
    const refreshes: number[] = [];
    let refreshedAt = 0;
    for (let lines = 500; lines <= 100_000; lines += 500)
      if (plannerStatisticsDue(refreshedAt, lines)) refreshes.push((refreshedAt = lines));
    expect(refreshes).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000]);
  });

  it("are refreshed at the first batch of an import continued past 2,000 lines", () => {
    expect(plannerStatisticsDue(0, 42_500)).toBe(true);
    expect(plannerStatisticsDue(42_500, 43_000)).toBe(false);
  });
});

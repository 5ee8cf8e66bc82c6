import { describe, expect, it } from "vitest";
import { bulkThreshold, chooseWriteStrategy, estimatePacedSeconds } from "~/domain/tags/strategy";

const standard = { currentlyAvailable: 2000, restoreRate: 100 };
const drained = { currentlyAvailable: 0, restoreRate: 100 };

describe("bulk vs paced", () => {
  it("estimates paced time as round trips, or bucket then restore rate when that is slower", () => {
    expect(estimatePacedSeconds(100, standard, 0.03)).toBeCloseTo(3);
    expect(estimatePacedSeconds(300, standard, 0.03)).toBe(10);
    expect(estimatePacedSeconds(300, drained, 0.03)).toBe(30);
  });

  it("goes bulk once paced writes would take longer than a bulk operation", () => {
    const slowBulk = { bulkSeconds: 20, callSeconds: 0.01 };
    expect(chooseWriteStrategy(0, standard, slowBulk)).toBe("paced");
    expect(chooseWriteStrategy(400, standard, slowBulk)).toBe("paced");
    expect(chooseWriteStrategy(401, standard, slowBulk)).toBe("bulk");
    expect(bulkThreshold(standard, slowBulk)).toBe(401);
    // An empty bucket makes bulk worth it sooner; a Plus-sized one later.
    expect(bulkThreshold(drained, slowBulk)).toBe(201);
    expect(bulkThreshold({ currentlyAvailable: 20000, restoreRate: 1000 }, slowBulk)).toBe(2001);
    // With fast bulk operations, round trips alone decide.
    expect(bulkThreshold(standard, { bulkSeconds: 0.45, callSeconds: 0.03 })).toBe(16);
  });
});

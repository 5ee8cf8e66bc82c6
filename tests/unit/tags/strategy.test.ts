import { describe, expect, it } from "vitest";
import { bulkThreshold, chooseWriteStrategy, estimatePacedSeconds } from "~/domain/tags/strategy";

const standard = { currentlyAvailable: 2000, restoreRate: 100 };

describe("bulk vs paced", () => {
  it("estimates paced time from the bucket, then the restore rate", () => {
    expect(estimatePacedSeconds(100, standard)).toBe(0);
    expect(estimatePacedSeconds(300, standard)).toBe(10);
    expect(estimatePacedSeconds(300, { currentlyAvailable: 0, restoreRate: 100 })).toBe(30);
  });

  it("goes bulk once paced writes would take longer than a bulk operation's overhead", () => {
    expect(chooseWriteStrategy(0, standard, 2)).toBe("paced");
    expect(chooseWriteStrategy(220, standard, 2)).toBe("paced");
    expect(chooseWriteStrategy(221, standard, 2)).toBe("bulk");
    expect(bulkThreshold(standard, 2)).toBe(221);
    // A Plus-sized bucket keeps far larger diffs paced.
    expect(chooseWriteStrategy(2000, { currentlyAvailable: 20000, restoreRate: 1000 }, 2)).toBe(
      "paced",
    );
  });
});

import { describe, expect, it } from "vitest";
import { completedPeriods, periodsKept } from "~/domain/segments/periods";

const iso = (period: { startAt: Date; endAt: Date }) => [
  period.startAt.toISOString(),
  period.endAt.toISOString(),
];

describe("periods in the shop's time zone", () => {
  it("ends days at local midnight, also on the 23-hour day clocks go forward", () => {
    // New York moves to daylight time on Sunday, March 8, 2026.
    const days = completedPeriods("day", "America/New_York", new Date("2026-03-09T12:00:00Z"), 2);
    expect(days.map((day) => day.start)).toEqual(["2026-03-07", "2026-03-08"]);
    expect(days.map(iso)).toEqual([
      ["2026-03-07T05:00:00.000Z", "2026-03-08T05:00:00.000Z"],
      ["2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"],
    ]);
  });

  it("starts weeks on Monday and counts only weeks that have ended", () => {
    // Monday, December 7, 2026, 10:00 UTC: this week has not ended, the one before has.
    const [week] = completedPeriods("week", "UTC", new Date("2026-12-07T10:00:00Z"), 1);
    expect([week.start, week.lastDay]).toEqual(["2026-11-30", "2026-12-06"]);
    expect(iso(week)).toEqual(["2026-11-30T00:00:00.000Z", "2026-12-07T00:00:00.000Z"]);
  });

  it("reads the calendar where the shop is: New Year's morning in Tokyo ends December", () => {
    const [month] = completedPeriods("month", "Asia/Tokyo", new Date("2026-12-31T16:00:00Z"), 1);
    expect([month.start, month.lastDay]).toEqual(["2026-12-01", "2026-12-31"]);
    expect(iso(month)).toEqual(["2026-11-30T15:00:00.000Z", "2026-12-31T15:00:00.000Z"]);
  });

  it("treats local midnight as the start of the new day", () => {
    const [day] = completedPeriods("day", "Europe/Berlin", new Date("2026-07-01T22:00:00Z"), 1);
    expect(day.start).toBe("2026-07-01");
  });

  it("keeps 90 days, 52 weeks and 12 months, each following the one before", () => {
    const periods = periodsKept("Australia/Sydney", new Date("2026-12-07T10:00:00Z"));
    for (const [grain, count] of [
      ["day", 90],
      ["week", 52],
      ["month", 12],
    ] as const) {
      const ofGrain = periods.filter((period) => period.grain === grain);
      expect(ofGrain).toHaveLength(count);
      for (let index = 1; index < ofGrain.length; index++)
        expect(ofGrain[index].startAt).toEqual(ofGrain[index - 1].endAt);
    }
    expect(periods.filter((p) => p.grain === "month").map((p) => p.start)[0]).toBe("2025-12-01");
  });
});

// The planner, against sizes worked out by hand from the normal-approximation formula (checked
// with scipy 1.17): 10 % vs 15 % with equal groups needs 686 a group, the textbook figure
// (Fleiss, without continuity correction).
import { describe, expect, it } from "vitest";
import {
  customersNeeded,
  durationPhrase,
  planTest,
  type AudienceForecast,
} from "~/domain/measurement/sample-size";

describe("customers needed", () => {
  it("matches the textbook for equal groups and grows the shown group nine to one for a 10 % holdout", () => {
    expect(customersNeeded(0.1, { relativeLift: 0.5, holdoutShare: 0.5 })).toEqual({
      heldOut: 686,
      shown: 686,
    });
    // 20 % → 22 %: [1.959964 √(p̄q̄ · 10/9) + 0.841621 √(0.2·0.8 + 0.22·0.78/9)]² / 0.02² = 3655.18
    expect(customersNeeded(0.2, { relativeLift: 0.1, holdoutShare: 0.1 })).toEqual({
      heldOut: 3656,
      shown: 32897,
    });
    // A stricter test needs more.
    const strict = customersNeeded(0.2, { relativeLift: 0.1, holdoutShare: 0.1, power: 0.9 })!;
    expect(strict.heldOut).toBeGreaterThan(3656);
  });

  it("has nothing to detect when the lifted share would pass 100 %, and refuses nonsense", () => {
    expect(customersNeeded(0.95, { relativeLift: 0.1, holdoutShare: 0.1 })).toBeNull();
    expect(() => customersNeeded(0, { relativeLift: 0.1, holdoutShare: 0.1 })).toThrow(/baseline/);
    expect(() => customersNeeded(0.2, { relativeLift: 0, holdoutShare: 0.1 })).toThrow(/lift/);
    expect(() => customersNeeded(0.2, { relativeLift: 0.1, holdoutShare: 1 })).toThrow(/holdout/);
    expect(() => customersNeeded(0.2, { relativeLift: 0.1, holdoutShare: 0.1, alpha: 2 })).toThrow(
      /alpha/,
    );
  });
});

describe("test plan", () => {
  // 40,000 customers in the audience; 1 % more of them order with each day the test runs.
  const forecast: AudienceForecast[] = Array.from({ length: 60 }, (_, index) => ({
    days: index + 1,
    customers: 40_000,
    conversion: 0.01 * (index + 1),
  }));

  it("takes the first day both groups are large enough, rounded up to whole weeks", () => {
    // Day 19 (19 %) needs 3,900 held out of the 4,000; the plan runs 3 weeks, at 21 %.
    expect(planTest(forecast, { relativeLift: 0.1, holdoutShare: 0.1 })).toEqual({
      days: 21,
      heldOut: 3434,
      shown: 30906,
      baseline: 0.21,
      duration: "about 3 weeks",
    });
  });

  it("is null when the audience never suffices", () => {
    const small = forecast.map((row) => ({ ...row, customers: 2_000 }));
    expect(planTest(small, { relativeLift: 0.1, holdoutShare: 0.1 })).toBeNull();
  });

  it("speaks in days below a week, in weeks from one on", () => {
    expect([1, 5, 7, 21, 30].map(durationPhrase)).toEqual([
      "about 1 day",
      "about 5 days",
      "about 1 week",
      "about 3 weeks",
      "about 4 weeks",
    ]);
  });
});

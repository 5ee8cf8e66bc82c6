// The lift report and the merchant's sentence. Intervals for these counts were worked out by hand
// from Newcombe's method 10 (and checked with scipy 1.17); e.g. 22.0 % of 36,000 against 20.0 % of
// 4,000 gives +0.66 to +3.28 points at 95 % and −0.27 to +4.13 at 99.9 %.
import { describe, expect, it } from "vitest";
import {
  liftReport,
  liftVerdict,
  summarizeGroup,
  windowOutcomes,
  type GroupSummary,
} from "~/domain/measurement/lift";
import type { TestPlan } from "~/domain/measurement/sample-size";

/** A group of `customers` of whom `converted` ordered once, for 50.00 each. */
const group = (customers: number, converted: number): GroupSummary =>
  summarizeGroup(
    Array.from({ length: customers }, (_, index) =>
      index < converted ? { orders: 1, revenueCents: 5000 } : { orders: 0, revenueCents: 0 },
    ),
  );

const plan: TestPlan = {
  days: 21,
  heldOut: 3434,
  shown: 30906,
  baseline: 0.21,
  duration: "about 3 weeks",
};

describe("window outcomes", () => {
  it("count each audience customer's counted orders in the window, and zeros for the rest", () => {
    const at = (iso: string) => new Date(iso);
    const order = (
      customerId: string | null,
      processedAt: string,
      totalCents: number,
      changes = {},
    ) => ({
      customerId,
      processedAt: at(processedAt),
      cancelledAt: null,
      test: false,
      totalCents: BigInt(totalCents),
      ...changes,
    });
    const outcomes = windowOutcomes(
      ["a", "b", "c"],
      [
        order("a", "2026-03-02T10:00:00Z", 4000),
        order("a", "2026-03-09T10:00:00Z", 2500),
        order("a", "2026-03-01T23:59:59Z", 9900), // before the window
        order("b", "2026-03-05T00:00:00Z", 1000, { cancelledAt: at("2026-03-06T00:00:00Z") }),
        order("b", "2026-03-05T00:00:00Z", 1000, { test: true }),
        order("b", "2026-03-23T00:00:01Z", 1000), // after it
        order("z", "2026-03-05T00:00:00Z", 7000), // not in the audience
        order(null, "2026-03-05T00:00:00Z", 7000), // a guest
      ],
      { from: at("2026-03-02T00:00:00Z"), to: at("2026-03-23T00:00:00Z") },
    );
    expect(outcomes).toEqual([
      { orders: 2, revenueCents: 6500 },
      { orders: 0, revenueCents: 0 },
      { orders: 0, revenueCents: 0 },
    ]);
  });
});

describe("lift report", () => {
  it("summarises customers: conversion, mean and sample variance of orders and revenue", () => {
    const summary = summarizeGroup([
      { orders: 0, revenueCents: 0 },
      { orders: 2, revenueCents: 3000 },
      { orders: 1, revenueCents: 1500 },
      { orders: 0, revenueCents: 0 },
    ]);
    expect(summary).toEqual({
      customers: 4,
      converted: 2,
      orders: { count: 4, mean: 0.75, variance: 2.75 / 3 },
      revenueCents: { count: 4, mean: 1125, variance: 6_187_500 / 3 },
    });
    expect(() => summarizeGroup([{ orders: -1, revenueCents: 0 }])).toThrow(
      /not a customer outcome/,
    );
    expect(() => summarizeGroup([{ orders: 1.5, revenueCents: 0 }])).toThrow(
      /not a customer outcome/,
    );
  });

  it("compares the groups with 95 % intervals, relative lift and sizes", () => {
    const report = liftReport(group(70, 56), group(80, 48));
    expect(report.shownCustomers).toBe(70);
    expect(report.heldOutCustomers).toBe(80);
    expect(report.conversion).toMatchObject({
      shown: 0.8,
      heldOut: 0.6,
      relative: expect.closeTo(1 / 3, 10),
    });
    expect(report.conversion.difference).toBeCloseTo(0.2, 12);
    expect(report.conversion.interval!.low).toBeCloseTo(0.0524, 4);
    expect(report.conversion.interval!.high).toBeCloseTo(0.3339, 4);
    // Orders are 0/1 here, so their mean is the conversion; revenue is 5,000 cents times it.
    expect(report.ordersPerCustomer.difference).toBeCloseTo(0.2, 12);
    expect(report.revenuePerCustomerCents.difference).toBeCloseTo(1000, 8);
    expect(report.revenuePerCustomerCents.interval!.low).toBeCloseTo(
      5000 * report.ordersPerCustomer.interval!.low,
      6,
    );
  });

  it("has no interval while a group is empty", () => {
    const report = liftReport(group(50, 10), group(0, 0));
    expect(report.conversion.interval).toBeNull();
    expect(report.ordersPerCustomer.interval).toBeNull();
    expect(report.conversion.relative).toBeNull();
  });
});

describe("verdict", () => {
  it("is too early while nobody is held out", () => {
    expect(liftVerdict(group(100, 20), group(0, 0), { elapsedDays: 3, plan })).toMatchObject({
      call: "too-early",
      sentence:
        "Too early to tell: no customer of this bar's audience has been held out yet (or none shown it).",
    });
  });

  it("calls a winner at the planned size when the 95 % interval is clear of zero", () => {
    expect(liftVerdict(group(36_000, 7920), group(4000, 800), { elapsedDays: 21, plan })).toEqual({
      call: "helps",
      planReached: true,
      sentence:
        "The bar works: 22.0 % of customers shown the bar ordered, against 20.0 % of those held out (+2.0 points; 95 % interval +0.7 to +3.3).",
    });
  });

  it("waits before the planned size unless the evidence is overwhelming", () => {
    // The same numbers on day 16: the 95 % interval is clear of zero, the 99.9 % one is not.
    expect(liftVerdict(group(36_000, 7920), group(4000, 800), { elapsedDays: 16, plan })).toEqual({
      call: "too-early",
      planReached: false,
      sentence:
        "Too early to tell: 22.0 % of customers shown the bar ordered, against 20.0 % of those held out (+2.0 points; 95 % interval +0.7 to +3.3). The planned test ends in about 5 days.",
    });
    // +5 points: 99.9 % interval +2.8 to +7.0.
    expect(liftVerdict(group(36_000, 8280), group(4000, 720), { elapsedDays: 4, plan }).call).toBe(
      "helps",
    );
    // Without a plan only such a call is possible.
    expect(
      liftVerdict(group(36_000, 7920), group(4000, 800), { elapsedDays: 40, plan: null }),
    ).toMatchObject({
      call: "too-early",
      sentence: expect.stringMatching(
        /too small for a planned test \(see the plan\), so only an overwhelming difference will count\.$/,
      ),
    });
    // Planned days passed, but fewer customers than planned.
    expect(
      liftVerdict(group(20_000, 4400), group(2000, 400), { elapsedDays: 30, plan }).sentence,
    ).toMatch(/The planned 3,434 held-out and 30,906 shown customers are not there yet\.$/);
  });

  it("says when the bar costs orders, and when the planned test saw no clear difference", () => {
    expect(
      liftVerdict(group(36_000, 7200), group(4000, 880), { elapsedDays: 21, plan }),
    ).toMatchObject({
      call: "hurts",
      sentence: expect.stringMatching(
        /^The bar costs you orders: 20\.0 % .* 22\.0 % .*\(−2\.0 points; 95 % interval −3\.4 to −0\.7\)\. Consider changing or switching it off\.$/,
      ),
    });
    expect(liftVerdict(group(36_000, 7272), group(4000, 800), { elapsedDays: 21, plan })).toEqual({
      call: "no-clear-difference",
      planReached: true,
      sentence:
        "No clear difference after the planned 3 weeks: 20.2 % of customers shown the bar ordered, against 20.0 % of those held out (+0.2 points; 95 % interval −1.1 to +1.5). If the bar changes anything, it is less than this test could see.",
    });
  });
});

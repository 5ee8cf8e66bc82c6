// The explainable heuristic: each number follows from the customer's usual interval.
import { describe, expect, it } from "vitest";
import { scoreWithHeuristic, type CustomerSummary } from "~/domain/predictions";

const customer = (id: string, frequency: number, recency: number, T: number): CustomerSummary => ({
  customerId: id,
  frequency,
  recency,
  T,
  monetary: frequency ? 20 : 0,
  averageValue: 25,
});

describe("the overdue heuristic", () => {
  // Repeat gaps: 30 (regular), 10 (lapsed) and 60 days; the shop's median gap is 30.
  const summaries = [
    customer("regular", 3, 90, 100), // last purchase 10 days ago, due in 20
    customer("lapsed", 2, 20, 200), // every 10 days, last 180 days ago
    customer("slow", 1, 60, 70),
    customer("new", 0, 0, 45), // one purchase 45 days ago
  ];
  const [regular, lapsed, slow, newcomer] = scoreWithHeuristic(summaries, 90);

  it("counts days overdue against the usual interval (the shop's median for one-time buyers)", () => {
    expect(regular.daysOverdue).toBe(10 - 30);
    expect(lapsed.daysOverdue).toBe(180 - 10);
    expect(slow.daysOverdue).toBe(10 - 60);
    expect(newcomer.daysOverdue).toBe(45 - 30);
  });

  it("is sure of customers within their interval and fades once they are overdue", () => {
    expect(regular.pAlive).toBe(1);
    expect(regular.expectedPurchases).toBe(90 / 30);
    expect(lapsed.pAlive).toBeCloseTo(10 / 180, 12);
    expect(lapsed.expectedPurchases).toBeCloseTo((10 / 180) * (90 / 10), 12);
    // A one-time buyer: also times the share of customers who came back (3 of 4).
    expect(newcomer.pAlive).toBeCloseTo((30 / 45) * 0.75, 12);
    expect(newcomer.expectedPurchases).toBeCloseTo(newcomer.pAlive * 3, 12);
  });

  it("values purchases at the customer's own average and multiplies for spend", () => {
    expect(regular.expectedOrderValue).toBe(25);
    expect(regular.predictedSpend).toBe(3 * 25);
  });

  it("predicts nothing and no overdue days where nobody has bought twice", () => {
    const [only] = scoreWithHeuristic([customer("a", 0, 0, 10)], 30);
    expect(only).toMatchObject({ expectedPurchases: 0, pAlive: 0, daysOverdue: null });
    expect(scoreWithHeuristic([], 30)).toEqual([]);
  });

  it("rejects an inconsistent summary or horizon with a clear error", () => {
    expect(() => scoreWithHeuristic([customer("x", 2, 50, 30)], 30)).toThrow(
      /customer x: recency 50 is not between 0 and T 30/,
    );
    expect(() => scoreWithHeuristic(summaries, -5)).toThrow(/horizon/);
  });
});

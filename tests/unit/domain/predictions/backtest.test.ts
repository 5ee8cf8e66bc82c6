// The backtest's measures, and the whole backtest on generated stores: where the customers
// behave as the model assumes it wins; clockwork buyers make it lose, and chooseMethod falls back.
import { describe, expect, it } from "vitest";
import {
  chooseMethod,
  fitModels,
  naiveBaseline,
  predictWith,
  runBacktest,
  scoreMethod,
  summarizeCustomers,
  type BacktestReport,
} from "~/domain/predictions";
import { generateBgNbdStore, generateClockworkStore } from "../../../support/predictions-store";

const start = new Date("2024-01-01T00:00:00Z");
const asOf = new Date("2025-06-30T00:00:00Z");

describe("scoring one method", () => {
  it("gives the mean absolute error, correlation and totals", () => {
    const score = scoreMethod([1, 2, 3, 0], [1, 3, 2, 0]);
    expect(score.meanAbsoluteError).toBe(0.5);
    expect(score.correlation).toBeCloseTo(0.8, 12);
    expect(score).toMatchObject({ predictedTotal: 6, actualTotal: 6 });
  });

  it("finds next-period buyers in the top fifth, sharing the places left among ties", () => {
    const actual = [1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    // Top fifth = 2 places: the best and one of four tied customers (one of whom bought).
    expect(scoreMethod([9, 5, 5, 5, 5, 0, 0, 0, 0, 0], actual).topFifthBuyerShare).toBeCloseTo(
      (1 + 1 / 4) / 2,
      12,
    );
    // The same prediction for everyone finds a fifth of the buyers, as chance would.
    expect(scoreMethod(Array(10).fill(1), actual).topFifthBuyerShare).toBeCloseTo(0.2, 12);
    expect(scoreMethod(Array(10).fill(1), actual).correlation).toBeNull();
    expect(scoreMethod([1, 2], [0, 0]).topFifthBuyerShare).toBeNull();
  });

  it("continues each customer's past rate for the baseline", () => {
    const summaries = [
      { customerId: "a", frequency: 4, recency: 90, T: 100, monetary: 1, averageValue: 1 },
      { customerId: "b", frequency: 0, recency: 0, T: 0, monetary: 0, averageValue: 1 },
    ];
    expect(naiveBaseline(summaries, 50)).toEqual([2, 0]);
  });
});

describe("the backtest on generated stores", () => {
  const store = generateBgNbdStore({
    customers: 10_000,
    bgNbd: { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 },
    gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
    start,
    acquisitionDays: 180,
    end: asOf,
    seed: 2,
  });

  it("lets the model win where customers behave as it assumes", () => {
    const report = runBacktest(store, { asOf, horizonDays: 90 });
    expect(report.calibrationEnd).toEqual(new Date("2025-04-01T00:00:00Z"));
    expect(report.customers).toBe(10_000); // everyone's first purchase is in the first 180 days
    expect(report.holdoutBuyers).toBeGreaterThan(500);
    expect(report.model!.meanAbsoluteError).toBeLessThan(report.baseline.meanAbsoluteError * 0.9);
    expect(report.model!.correlation!).toBeGreaterThan(report.baseline.correlation!);
    expect(report.model!.topFifthBuyerShare!).toBeGreaterThan(report.baseline.topFifthBuyerShare!);
    // The model's total is close to what happened; the baseline overshoots (no dropout).
    expect(report.model!.predictedTotal / report.model!.actualTotal).toBeGreaterThan(0.85);
    expect(report.model!.predictedTotal / report.model!.actualTotal).toBeLessThan(1.15);
    expect(report.baseline.predictedTotal).toBeGreaterThan(report.baseline.actualTotal * 1.2);

    const summaries = summarizeCustomers(store, { calibrationEnd: asOf });
    const fits = fitModels(summaries);
    const choice = chooseMethod(report, fits);
    expect(choice).toMatchObject({ method: "model" });
    expect(choice.reasons[0]).toMatch(/model's error was 0\.\d+ purchases per customer/);
    const predictions = predictWith(choice, fits, summaries, 365);
    expect(predictions).toHaveLength(summaries.length);
    for (const p of predictions.slice(0, 500)) {
      expect(p.pAlive).toBeGreaterThanOrEqual(0);
      expect(p.pAlive).toBeLessThanOrEqual(1);
      expect(p.predictedSpend).toBeCloseTo(p.expectedPurchases * p.expectedOrderValue, 9);
    }
  });

  it("falls back to the heuristic where the model loses to the baseline", () => {
    const clockwork = generateClockworkStore(2_000, start, asOf);
    const report = runBacktest(clockwork, { asOf, horizonDays: 90 });
    expect(report.fits.bgNbd).toMatchObject({ ok: true, boundary: "no-dropout" });
    expect(report.model!.meanAbsoluteError).toBeGreaterThan(report.baseline.meanAbsoluteError);
    const summaries = summarizeCustomers(clockwork, { calibrationEnd: asOf });
    const choice = chooseMethod(report, fitModels(summaries));
    expect(choice.method).toBe("heuristic");
    expect(choice.reasons).toEqual([
      expect.stringMatching(
        /^The model's error \(0\.\d+ purchases per customer\) is not at least 2% below/,
      ),
    ]);
    const [first] = predictWith(choice, fitModels(summaries), summaries, 30);
    expect(first.daysOverdue).not.toBeNull();
  });
});

describe("choosing the method", () => {
  const fits = fitModels([]);
  const report = (overrides: Partial<BacktestReport>): BacktestReport => ({
    calibrationEnd: start,
    asOf,
    horizonDays: 90,
    customers: 1000,
    repeatCustomers: 400,
    holdoutBuyers: 200,
    calibrationDays: 400,
    fits,
    model: null,
    baseline: scoreMethod([1], [1]),
    heuristic: scoreMethod([1], [1]),
    ...overrides,
  });

  it("takes the heuristic with too little history, too few repeat buyers or test buyers", () => {
    const choice = chooseMethod(
      report({ calibrationDays: 120, repeatCustomers: 10, holdoutBuyers: 5 }),
      fits,
    );
    expect(choice.method).toBe("heuristic");
    expect(choice.reasons.join("\n")).toMatch(/History is too short: 120 days .* at least 180/);
    expect(choice.reasons.join("\n")).toMatch(/Too few repeat customers .* 10, at least 50/);
    expect(choice.reasons.join("\n")).toMatch(
      /Too few buyers in the test period .* 5, at least 30/,
    );
    expect(choice.reasons.join("\n")).toMatch(/could not be fitted.*no customers/);
  });

  it("asks for at least as much history as the test period is long", () => {
    const choice = chooseMethod(report({ horizonDays: 365, calibrationDays: 300 }), fits);
    expect(choice.reasons[0]).toMatch(/300 days before the 365-day test period, at least 365/);
  });
});

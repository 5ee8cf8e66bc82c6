// Scoring customers with the fitted models: the cached (x, T) series gives each customer's own
// expectation, and a missing spend model falls back to the customer's own average.
import { describe, expect, it } from "vitest";
import {
  expectedPurchases,
  fitModels,
  probabilityAlive,
  scoreWithModels,
  summarizeCustomers,
} from "~/domain/predictions";
import { generateBgNbdStore } from "../../../support/predictions-store";

const end = new Date("2025-06-30T00:00:00Z");
const summaries = summarizeCustomers(
  generateBgNbdStore({
    customers: 2_000,
    bgNbd: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, v: 15 },
    start: new Date("2024-01-01T00:00:00Z"),
    acquisitionDays: 300,
    end,
    seed: 9,
  }),
  { calibrationEnd: end },
);
const fits = fitModels(summaries);

describe("scoring with the models", () => {
  it("gives each customer the model's own numbers", () => {
    const { bgNbd, gammaGamma } = fits;
    if (!bgNbd.ok || !gammaGamma.ok) throw new Error("no fit");
    const params = bgNbd.params;
    const scored = scoreWithModels(fits, summaries, 90);
    summaries.forEach((summary, i) => {
      const p = scored[i];
      expect(p.customerId).toBe(summary.customerId);
      expect(p.expectedPurchases).toBeCloseTo(expectedPurchases(params, summary, 90), 12);
      expect(p.pAlive).toBe(probabilityAlive(params, summary));
      expect(p.predictedSpend).toBeCloseTo(p.expectedPurchases * p.expectedOrderValue, 9);
    });
    expect(scoreWithModels(fits, summaries, 0).every((p) => p.expectedPurchases === 0)).toBe(true);
  });

  it("values purchases at each customer's own average without a spend model", () => {
    const withoutSpend = {
      ...fits,
      gammaGamma: { ok: false as const, reason: "too-few-customers" as const, message: "few" },
    };
    const scored = scoreWithModels(withoutSpend, summaries, 30);
    summaries.forEach((s, i) => expect(scored[i].expectedOrderValue).toBe(s.averageValue));
  });

  it("refuses to score without BG/NBD, and a negative horizon", () => {
    expect(() => scoreWithModels(fitModels([]), summaries, 30)).toThrow(
      /not fitted: there are no customers/,
    );
    expect(() => scoreWithModels(fits, summaries, -1)).toThrow(/horizon/);
  });
});

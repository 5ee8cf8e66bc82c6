// Gamma-Gamma beyond CDNOW: the gradient, the posterior mean's two limits, and data it cannot
// learn from (too few repeat buyers, everyone spending the same, heavy tails).
import { describe, expect, it } from "vitest";
import { expectedOrderValue, fitGammaGamma, type GammaGammaFit } from "~/domain/predictions";
import { gammaGammaLogLikelihood } from "~/domain/predictions/gamma-gamma";
import { seededRandom } from "../../../support/predictions-store";

type Fitted = Extract<GammaGammaFit, { ok: true }>;
const fitted = (params: Fitted["params"], newCustomerValue = 40): Fitted => ({
  ok: true,
  params,
  logLikelihood: 0,
  customers: 100,
  newCustomerValue,
});

describe("the Gamma-Gamma likelihood", () => {
  it("has the gradient its finite differences give, in log parameters", () => {
    const spenders = [
      { frequency: 1, monetary: 20 },
      { frequency: 4, monetary: 35.5 },
      { frequency: 9, monetary: 12 },
    ];
    const u = [Math.log(3), Math.log(2.5), Math.log(12)];
    const at = (v: number[]) =>
      gammaGammaLogLikelihood(spenders, {
        p: Math.exp(v[0]),
        q: Math.exp(v[1]),
        v: Math.exp(v[2]),
      });
    const { gradient } = at(u);
    for (let i = 0; i < 3; i++) {
      const h = 1e-6;
      const up = at(u.map((ui, j) => (j === i ? ui + h : ui))).value;
      const down = at(u.map((ui, j) => (j === i ? ui - h : ui))).value;
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 6);
    }
  });
});

describe("expected order value", () => {
  const fit = fitted({ p: 6, q: 4, v: 15 });

  it("moves from the population mean towards the customer's own mean as repeats add up", () => {
    expect(expectedOrderValue(fit, { frequency: 0, monetary: 0 })).toBe(40);
    const few = expectedOrderValue(fit, { frequency: 1, monetary: 100 });
    const many = expectedOrderValue(fit, { frequency: 50, monetary: 100 });
    expect(few).toBeCloseTo((6 * (15 + 100)) / (6 + 4 - 1), 10);
    expect(few).toBeLessThan(many);
    expect(many).toBeLessThan(100);
    expect(many).toBeGreaterThan(99);
  });

  it("falls back to the customer's own mean where the posterior mean does not exist", () => {
    const heavy = fitted({ p: 0.1, q: 0.5, v: 15 });
    expect(expectedOrderValue(heavy, { frequency: 2, monetary: 80 })).toBe(80);
  });
});

describe("fitting Gamma-Gamma", () => {
  it("needs ten customers with repeat purchases of some value", () => {
    const nine = Array.from({ length: 9 }, () => ({ frequency: 2, monetary: 30 }));
    const free = Array.from({ length: 30 }, () => ({ frequency: 2, monetary: 0 }));
    const oneTimers = Array.from({ length: 30 }, () => ({ frequency: 0, monetary: 0 }));
    for (const histories of [[], nine, [...nine, ...free, ...oneTimers]])
      expect(fitGammaGamma(histories)).toMatchObject({ ok: false, reason: "too-few-customers" });
  });

  it("rejects values that are not sums of money", () => {
    expect(() => fitGammaGamma([{ frequency: 1, monetary: -5 }])).toThrow(/not a sum of money/);
    expect(() => fitGammaGamma([{ frequency: 1, monetary: NaN }])).toThrow(/not a sum of money/);
  });

  it("gives a finite fit or a reason when everyone spends the same (no spread to fit)", () => {
    // The likelihood grows without bound as the spend distribution narrows to a point.
    const same = Array.from({ length: 40 }, (_, i) => ({ frequency: 1 + (i % 4), monetary: 25 }));
    const fit = fitGammaGamma(same);
    if (fit.ok) {
      expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
      expect(expectedOrderValue(fit, same[0])).toBeCloseTo(25, 4);
    } else expect(fit).toMatchObject({ reason: "no-optimum", message: /no maximum/ });
  });

  it("uses the observed mean for customers without repeats when spend is heavy-tailed (q ≤ 1)", () => {
    const random = seededRandom(5);
    // Pareto-like values: the mean of a customer's spend rate ν has no finite mean.
    const histories = Array.from({ length: 400 }, () => ({
      frequency: 1 + Math.floor(random() * 3),
      monetary: 10 / (1 - random()) ** 3,
    }));
    const fit = fitGammaGamma(histories);
    if (!fit.ok) throw new Error(fit.message);
    expect(fit.params.q).toBeLessThanOrEqual(1);
    const observed = histories.reduce((sum, h) => sum + h.monetary, 0) / histories.length;
    expect(fit.newCustomerValue).toBeCloseTo(observed, 8);
  });
});

// BG/NBD beyond CDNOW: the likelihood's gradient, the prediction series against the paper's
// closed form, and the degenerate cases (empty, tiny, no repeats, the no-dropout boundary, large
// a or b, a near 1) giving a clear result and never NaN.
import { describe, expect, it } from "vitest";
import {
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
  summarizeCustomers,
  type BgNbdParams,
  type RepeatHistory,
} from "~/domain/predictions";
import { bgNbdLogLikelihood, tabulateHistories } from "~/domain/predictions/bg-nbd-likelihood";
import { purchasesIfAlive } from "~/domain/predictions/bg-nbd-predict";
import {
  generateBgNbdStore,
  generateClockworkStore,
  seededRandom,
} from "../../../support/predictions-store";

const start = new Date("2024-01-01T00:00:00Z");
const end = new Date("2025-06-30T00:00:00Z");

/** The paper's closed form (eq. 10), with ₂F₁ summed directly: fine away from a = 1. */
function paperExpectation(params: BgNbdParams, h: RepeatHistory, t: number) {
  const { r, alpha, a, b } = params;
  const x = h.frequency;
  const [A, B, C, z] = [r + x, b + x, a + b + x - 1, t / (alpha + h.T + t)];
  let hypergeometric = 1;
  let term = 1;
  for (let n = 0; n < 100_000 && term > 1e-17 * hypergeometric; n++) {
    term *= (((A + n) * (B + n)) / ((C + n) * (n + 1))) * z;
    hypergeometric += term;
  }
  const bracket = 1 - ((alpha + h.T) / (alpha + h.T + t)) ** A * hypergeometric;
  const alive = x > 0 ? 1 + (a / (b + x - 1)) * ((alpha + h.T) / (alpha + h.recency)) ** A : 1;
  return (((a + b + x - 1) / (a - 1)) * bracket) / alive;
}

describe("the BG/NBD likelihood", () => {
  it("has the gradient its finite differences give, in log parameters", () => {
    const table = tabulateHistories([
      { frequency: 0, recency: 0, T: 40 },
      { frequency: 3, recency: 25, T: 38 },
      { frequency: 1, recency: 2, T: 30 },
      { frequency: 12, recency: 37.5, T: 39 },
    ]);
    const u = [Math.log(0.7), Math.log(5), Math.log(1.3), Math.log(4)];
    const at = (v: number[]) =>
      bgNbdLogLikelihood(table, {
        r: Math.exp(v[0]),
        alpha: Math.exp(v[1]),
        a: Math.exp(v[2]),
        b: Math.exp(v[3]),
      });
    const { gradient } = at(u);
    for (let i = 0; i < 4; i++) {
      const h = 1e-6;
      const up = at(u.map((ui, j) => (j === i ? ui + h : ui))).value;
      const down = at(u.map((ui, j) => (j === i ? ui - h : ui))).value;
      expect(gradient[i]).toBeCloseTo((up - down) / (2 * h), 6);
    }
  });

  it("rejects histories the model cannot read, naming them", () => {
    expect(() => fitBgNbd([{ frequency: 1.5, recency: 1, T: 2 }])).toThrow(/whole number/);
    expect(() => fitBgNbd([{ frequency: 1, recency: 3, T: 2 }])).toThrow(/between 0 and T/);
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: -1 }])).toThrow(/time span/);
    expect(() => fitBgNbd([{ frequency: 0, recency: 1, T: 2 }])).toThrow(/without repeat/);
  });
});

describe("BG/NBD predictions", () => {
  const params = { r: 0.5, alpha: 3, a: 2.5, b: 4 };

  it("match the paper's closed form away from a = 1", () => {
    for (const p of [params, { r: 2, alpha: 1, a: 0.3, b: 5 }, { r: 0.2, alpha: 30, a: 4, b: 0.4 }])
      for (const h of [
        { frequency: 0, recency: 0, T: 10 },
        { frequency: 3, recency: 12, T: 20 },
        { frequency: 10, recency: 4, T: 5 },
      ])
        for (const t of [5, 30, 50])
          expect(expectedPurchases(p, h, t)).toBeCloseTo(paperExpectation(p, h, t), 9);
  });

  it("stay finite and continuous through a = 1, where the closed form divides by zero", () => {
    const h = { frequency: 3, recency: 20, T: 30 };
    const near = [1 - 1e-6, 1 - 1e-12, 1, 1 + 1e-12, 1 + 1e-6].map((a) =>
      expectedPurchases({ ...params, a }, h, 30),
    );
    for (const value of near) expect(value).toBeCloseTo(near[2], 5);
    expect(Number.isFinite(near[2]) && near[2] > 0).toBe(true);
  });

  it("with no dropout, are each customer's gamma-Poisson rate continued", () => {
    const noDropout = { r: 0.8, alpha: 20, a: 1e-12, b: 1e6 };
    const h = { frequency: 4, recency: 90, T: 200 };
    expect(probabilityAlive(noDropout, h)).toBeCloseTo(1, 12);
    expect(expectedPurchases(noDropout, h, 365)).toBeCloseTo((365 * (0.8 + 4)) / (20 + 200), 6);
  });

  it("stay finite for large a, b, r + x and long horizons", () => {
    const cases: [BgNbdParams, RepeatHistory, number][] = [
      [{ r: 0.2, alpha: 30, a: 1e7, b: 1e8 }, { frequency: 500, recency: 700, T: 730 }, 365],
      [{ r: 6e7, alpha: 6e8, a: 0.5, b: 2 }, { frequency: 900, recency: 900, T: 1000 }, 365],
      [{ r: 0.2, alpha: 1e-3, a: 0.5, b: 0.3 }, { frequency: 0, recency: 0, T: 0 }, 365],
      [{ r: 0.2, alpha: 30, a: 0.5, b: 0.3 }, { frequency: 2, recency: 1, T: 3000 }, 1e6],
    ];
    for (const [p, h, t] of cases) {
      const value = expectedPurchases(p, h, t);
      expect(Number.isFinite(value) && value >= 0, `${JSON.stringify([p, h])}: ${value}`).toBe(
        true,
      );
      expect(probabilityAlive(p, h)).toBeGreaterThanOrEqual(0);
    }
    // A near-certain dropout: P(alive) underflows to 0 without overflowing the odds.
    const gone = { frequency: 500, recency: 1, T: 1000 };
    expect(probabilityAlive({ r: 5, alpha: 1, a: 1e6, b: 1 }, gone)).toBe(0);
    expect(purchasesIfAlive(params, 0, 10, 0)).toBe(0);
  });
});

describe("fitting BG/NBD", () => {
  it("recovers the parameters of a store generated by the model (within sampling noise)", () => {
    const truth = { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 };
    const store = generateBgNbdStore({
      customers: 20_000,
      bgNbd: truth,
      gammaGamma: { p: 6, q: 4, v: 15 },
      start,
      acquisitionDays: 180,
      end,
      seed: 3,
    });
    const fit = fitBgNbd(summarizeCustomers(store, { calibrationEnd: end }));
    if (!fit.ok) throw new Error(fit.message);
    for (const key of ["r", "alpha", "a", "b"] as const) {
      expect(fit.params[key] / truth[key], key).toBeGreaterThan(0.85);
      expect(fit.params[key] / truth[key], key).toBeLessThan(1.15);
    }
  });

  it("says why it cannot fit: no customers, too few, nobody came back", () => {
    expect(fitBgNbd([])).toMatchObject({ ok: false, reason: "no-customers" });
    expect(fitBgNbd([{ frequency: 3, recency: 20, T: 30 }])).toMatchObject({
      ok: false,
      reason: "too-few-customers",
    });
    const oneTimers = Array.from({ length: 50 }, (_, i) => ({ frequency: 0, recency: 0, T: i }));
    expect(fitBgNbd(oneTimers)).toMatchObject({ ok: false, reason: "no-repeats" });
    const sameDay = Array.from({ length: 50 }, () => ({ frequency: 0, recency: 0, T: 0 }));
    expect(fitBgNbd(sameDay)).toMatchObject({ ok: false, reason: "no-repeats" });
  });

  it("lands on the no-dropout boundary for buyers who never stop, and says so", () => {
    const store = generateClockworkStore(500, start, end);
    const fit = fitBgNbd(summarizeCustomers(store, { calibrationEnd: end }));
    if (!fit.ok) throw new Error(fit.message);
    expect(fit.boundary).toBe("no-dropout");
    expect(Object.values(fit.params).every(Number.isFinite)).toBe(true);
  });

  it("gives a fit or a reason, never NaN, on small random stores", () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 40; trial++) {
      const customers = Array.from({ length: 10 + Math.floor(random() * 20) }, () => {
        const T = Math.floor(random() * 400);
        const frequency = random() < 0.3 ? Math.floor(random() * 6) : 0;
        const recency = frequency ? Math.max(frequency, Math.floor(random() * T)) : 0;
        return { frequency: Math.min(frequency, recency), recency: Math.min(recency, T), T };
      });
      const fit = fitBgNbd(customers);
      if (!fit.ok) {
        expect(fit.message.length).toBeGreaterThan(0);
        continue;
      }
      expect(Number.isFinite(fit.logLikelihood)).toBe(true);
      for (const c of customers) {
        expect(Number.isFinite(expectedPurchases(fit.params, c, 365))).toBe(true);
        expect(Number.isFinite(probabilityAlive(fit.params, c))).toBe(true);
      }
    }
  });
});

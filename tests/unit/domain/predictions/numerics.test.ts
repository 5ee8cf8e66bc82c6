// The small numerical pieces under the models: ln Γ, ψ and the BFGS minimiser.
import { describe, expect, it } from "vitest";
import { minimize } from "~/domain/predictions/minimize";
import { digamma, logGamma } from "~/domain/predictions/special-functions";

const EULER_GAMMA = 0.5772156649015329;

describe("special functions", () => {
  it("ln Γ matches known values from tiny to large arguments", () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 14);
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 10);
    expect(logGamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - EULER_GAMMA * 1e-8, 12);
    expect(Number.isFinite(logGamma(1e12))).toBe(true);
    expect(() => logGamma(0)).toThrow(RangeError);
  });

  it("ψ matches known values and is ln Γ's derivative", () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 14);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.log(2), 14);
    expect(digamma(1e-9)).toBeCloseTo(-1e9 - EULER_GAMMA, 4);
    for (const z of [0.3, 3.7, 25, 1e4]) {
      const h = 1e-5 * z;
      expect(digamma(z)).toBeCloseTo((logGamma(z + h) - logGamma(z - h)) / (2 * h), 5);
    }
  });
});

describe("minimize", () => {
  it("finds Rosenbrock's minimum from a far start", () => {
    const rosenbrock = ([x, y]: number[]) => ({
      value: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
      gradient: [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    });
    const minimum = minimize(rosenbrock, [-1.5, 2]);
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(1, 6);
    expect(minimum.point[1]).toBeCloseTo(1, 6);
  });

  it("steps back from where the objective is not finite", () => {
    // 10x − 2 ln x, least at x = 0.2: the first step from x = 1 lands at x = −2, where ln is NaN.
    const barrier = ([x]: number[]) => ({
      value: 10 * x - 2 * Math.log(x),
      gradient: [10 - 2 / x],
    });
    const minimum = minimize(barrier, [1]);
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(0.2, 8);
  });

  it("reports no convergence when it starts where nothing is finite", () => {
    const minimum = minimize(() => ({ value: NaN, gradient: [NaN] }), [0]);
    expect(minimum.converged).toBe(false);
  });
});

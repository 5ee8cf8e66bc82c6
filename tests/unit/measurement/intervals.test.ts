// Distributions and intervals against published and independently computed values: Newcombe's
// own worked example (Statistics in Medicine 1998, 17:873–890, table II, method 10: 56/70 vs
// 48/80 gives 0.0524 to 0.3339), t and z tables, and Welch intervals from scipy 1.17
// (stats.ttest_ind(..., equal_var=False).confidence_interval()).
import { describe, expect, it } from "vitest";
import {
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from "~/domain/measurement/distributions";
import {
  meanDifferenceInterval,
  shareDifferenceInterval,
  wilsonInterval,
} from "~/domain/measurement/intervals";

describe("distributions", () => {
  it("match the normal table", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6);
    expect(normalQuantile(0.9995)).toBeCloseTo(3.290527, 6);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959964, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.001349898, 10);
    expect(normalCdf(-8) / 6.22096e-16).toBeCloseTo(1, 4);
  });

  it("match the t table, fractional degrees of freedom included", () => {
    const cases: [number, number, number][] = [
      [0.975, 1, 12.706205],
      [0.975, 10, 2.228139],
      [0.975, 30, 2.042272],
      [0.975, 1000, 1.962339],
      [0.975, 3.5, 2.940089],
      [0.995, 2.5, 7.163728],
      [0.025, 10, -2.228139],
    ];
    for (const [p, df, t] of cases)
      expect(studentTQuantile(p, df), `${p}, ${df}`).toBeCloseTo(t, 5);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
  });

  it("refuse what is not a probability", () => {
    for (const p of [0, 1, -0.1, Number.NaN])
      expect(() => normalQuantile(p)).toThrow(/probability/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degrees of freedom/);
  });
});

describe("intervals", () => {
  it("Wilson: inside [0, 1] even at 0 out of 10", () => {
    const interval = wilsonInterval(56, 70);
    expect(interval.low).toBeCloseTo(0.691834, 6);
    expect(interval.high).toBeCloseTo(0.876953, 6);
    expect(wilsonInterval(0, 10)).toEqual({
      low: expect.closeTo(0, 12),
      high: expect.closeTo(0.277533, 6),
    });
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("Newcombe: the paper's example", () => {
    const interval = shareDifferenceInterval(
      { successes: 56, trials: 70 },
      { successes: 48, trials: 80 },
    );
    expect(interval.low).toBeCloseTo(0.0524, 4);
    expect(interval.high).toBeCloseTo(0.3339, 4);
    const small = shareDifferenceInterval(
      { successes: 9, trials: 10 },
      { successes: 3, trials: 10 },
    );
    expect(small.low).toBeCloseTo(0.170523, 6);
    expect(small.high).toBeCloseTo(0.809018, 6);
  });

  it("Welch: scipy's interval, and none below two customers in a group", () => {
    // a = [3, 5, 8, 1, 0, 2], b = [1, 0, 0, 2, 1, 0, 0, 3, 0, 1]
    const interval = meanDifferenceInterval(
      { count: 6, mean: 19 / 6, variance: 8.566667 },
      { count: 10, mean: 0.8, variance: 1.066667 },
    );
    expect(interval!.low).toBeCloseTo(-0.695655, 4);
    expect(interval!.high).toBeCloseTo(5.428988, 4);
    expect(
      meanDifferenceInterval(
        { count: 1, mean: 3, variance: 0 },
        { count: 9, mean: 1, variance: 1 },
      ),
    ).toBeNull();
    expect(
      meanDifferenceInterval(
        { count: 5, mean: 0, variance: 0 },
        { count: 9, mean: 0, variance: 0 },
      ),
    ).toEqual({ low: 0, high: 0 });
  });
});

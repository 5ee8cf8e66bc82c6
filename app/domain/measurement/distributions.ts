/**
 * The normal and Student t distributions the lift report needs: CDFs accurate to about 1e-13,
 * quantiles by bisection on them (a few hundred evaluations, once per report).
 */

const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(x) for x >= 0: its Taylor series near 0, Laplace's continued fraction in the tail. */
function erfcPositive(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/√π · Σ (−1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …)))), evaluated from the end.
  let fraction = x;
  for (let k = 80; k >= 1; k--) fraction = x + k / 2 / fraction;
  return Math.exp(-x * x) / (SQRT_PI * fraction);
}

export function normalCdf(z: number): number {
  const tail = 0.5 * erfcPositive(Math.abs(z) / Math.SQRT2);
  return z < 0 ? tail : 1 - tail;
}

/** Inverts an increasing CDF on [low, high] by bisection, to the last bit that matters. */
function invert(cdf: (x: number) => number, p: number, low: number, high: number): number {
  for (let step = 0; step < 200 && high - low > 1e-12 * Math.max(1, Math.abs(low)); step++) {
    const middle = (low + high) / 2;
    if (cdf(middle) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function checkProbability(p: number) {
  if (!(p > 0 && p < 1))
    throw new Error(`a probability strictly between 0 and 1 is needed, got ${p}`);
}

/** z with normalCdf(z) = p: 1.959964 for 0.975. */
export function normalQuantile(p: number): number {
  checkProbability(p);
  return invert(normalCdf, p, -40, 40);
}

/** ln Γ(z), z > 0: Stirling's series from z + 10 on, brought back by Γ(z+1) = z Γ(z). */
function logGamma(z: number): number {
  let shift = 0;
  while (z < 10) {
    shift += Math.log(z);
    z += 1;
  }
  const inverse = 1 / z;
  const square = inverse * inverse;
  const series =
    inverse * (1 / 12 - square * (1 / 360 - square * (1 / 1260 - square * (1 / 1680))));
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/**
 * The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz),
 * using the symmetry I_x(a, b) = 1 − I_(1−x)(b, a) where the fraction converges slowly.
 */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(
    a * Math.log(x) + b * Math.log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b)),
  );
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let fraction = d;
  for (let m = 1; m <= 500; m++) {
    for (const numerator of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + numerator * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + numerator / c;
      if (Math.abs(c) < tiny) c = tiny;
      fraction *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return (front * fraction) / a;
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df need not be whole). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/** t with studentTCdf(t, df) = p: 2.228139 for p = 0.975, df = 10. */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p);
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  // Beyond 10^7 degrees of freedom t and z agree to 1e-7.
  if (df > 1e7) return normalQuantile(p);
  return invert((t) => studentTCdf(t, df), p, -1e6, 1e6);
}

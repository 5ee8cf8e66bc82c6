/**
 * What a fitted BG/NBD says about one customer (Fader, Hardie & Lee 2005, eq. 10 and the
 * P(alive) of their technical note): the probability of still being "alive" and the expected
 * number of purchase days in the next t.
 */
import type { BgNbdParams, RepeatHistory } from "./bg-nbd-likelihood";

/** P(alive | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). */
export function probabilityAlive(params: BgNbdParams, h: RepeatHistory): number {
  const { r, alpha, a, b } = params;
  const x = h.frequency;
  if (x === 0) return 1;
  const logOdds =
    Math.log(a) -
    Math.log(b + x - 1) +
    (r + x) * Math.log1p((h.T - h.recency) / (alpha + h.recency));
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) · E[Y(t) | alive]. Fader, Hardie & Lee write the second factor
 * as (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))], which
 * cancels catastrophically and divides by zero as a → 1; purchasesIfAlive sums it another way.
 */
export function expectedPurchases(params: BgNbdParams, h: RepeatHistory, t: number): number {
  if (t === 0) return 0;
  return probabilityAlive(params, h) * purchasesIfAlive(params, h.frequency, h.T, t);
}

/**
 * E[Y(t) | alive at T] = E over p ~ Beta(a, b+x) of (1 − (1 + p·t/(α+T))^−(r+x)) / p. With
 * z = t/(α+T+t), 1 + p·t/(α+T) = (1 − z·s)/(1 − z) for s = 1 − p, and expanding (1 − z·s)^−A
 * (A = r+x) as Σ (A)ₙ/n! zⁿ sⁿ gives a series of positive terms only:
 *
 *   (1−z)^A · Σ_{n≥1} (A)ₙ/n! · zⁿ · Σ_{k<n} E[sᵏ],   E[sᵏ] = (b+x)ₖ / (a+b+x)ₖ,
 *
 * finite for every a, b > 0 (a = 1 included). Terms are rescaled as they grow, so (1−z)^A
 * neither underflows nor the sum overflows when r+x is large. It depends on (x, T) only, so
 * callers scoring many customers can reuse it.
 */
export function purchasesIfAlive(params: BgNbdParams, x: number, T: number, t: number): number {
  if (!(t >= 0) || t === Infinity) throw new RangeError(`horizon must be 0 or more, got ${t}`);
  const { r, alpha, a, b } = params;
  const A = r + x;
  const B = b + x;
  const z = t / (alpha + T + t);
  let logScale = -A * Math.log1p(t / (alpha + T)); // ln (1−z)^A
  let term = 1; // (A)ₙ/n! zⁿ, times e^−logScale
  let moment = 1; // E[sⁿ⁻¹]
  let moments = 0; // Σ_{k<n} E[sᵏ]
  let sum = 0;
  let previous = 0;
  for (let n = 1; n <= MAX_TERMS; n++) {
    term *= ((A + n - 1) / n) * z;
    moments += moment;
    moment /= 1 + a / (B + n - 1);
    const contribution = term * moments;
    sum += contribution;
    if (sum > RESCALE_ABOVE) {
      sum /= RESCALE_ABOVE;
      term /= RESCALE_ABOVE;
      logScale += LOG_RESCALE;
    }
    // Terms tend to ratio z; once falling, the tail is below contribution · ρ/(1−ρ).
    const ratio = Math.max(z, contribution / previous);
    previous = contribution;
    if (n > 1 && ratio < 1 && (contribution * ratio) / (1 - ratio) <= 1e-14 * sum) break;
  }
  return Math.exp(logScale + Math.log(sum));
}

const RESCALE_ABOVE = 1e250;
const LOG_RESCALE = Math.log(RESCALE_ABOVE);
/**
 * Enough for z up to about 1 − 3e-5, a horizon 30,000 times α+T (α is tens of days on real
 * stores). Beyond it the sum stops short, about 30 ms later: an underestimate, never NaN.
 */
const MAX_TERMS = 1_000_000;

/**
 * The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Hardie's note 025): a
 * customer's purchase values are gamma(p, ν) around their own mean, ν gamma(q, v) across
 * customers. Fitted by maximum likelihood on the customers with repeat purchases, from x and
 * the mean repeat value m̄:
 *
 *   f(m̄ | x) = Γ(px+q) / (Γ(px) Γ(q)) · v^q · m̄^(px−1) · x^(px) / (v + x·m̄)^(px+q)
 *
 * It assumes value and frequency are independent.
 */
import { minimize } from "./minimize";
import { digamma, logGamma } from "./special-functions";

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface SpendHistory {
  frequency: number;
  /** Mean value of the repeat purchase days; the fit reads customers with frequency and m̄ > 0. */
  monetary: number;
}

export type GammaGammaFit =
  | {
      ok: true;
      params: GammaGammaParams;
      logLikelihood: number;
      /** Customers the fit read (frequency > 0 and a positive mean value). */
      customers: number;
      /** The mean value a customer without repeats is expected to spend per purchase day. */
      newCustomerValue: number;
    }
  | { ok: false; reason: "too-few-customers" | "no-optimum"; message: string };

export const MIN_SPENDERS_TO_FIT = 10;
const LOG_LIMIT = 18; // as in BG/NBD: a soft wall at e^±18 where the likelihood has no maximum

export function fitGammaGamma(histories: readonly SpendHistory[]): GammaGammaFit {
  histories.forEach((h, i) => {
    if (!Number.isInteger(h.frequency) || h.frequency < 0)
      throw new RangeError(`customer ${i}: frequency ${h.frequency} is not a whole number`);
    if (!Number.isFinite(h.monetary) || h.monetary < 0)
      throw new RangeError(`customer ${i}: monetary ${h.monetary} is not a sum of money`);
  });
  const spenders = histories.filter((h) => h.frequency > 0 && h.monetary > 0);
  if (spenders.length < MIN_SPENDERS_TO_FIT)
    return {
      ok: false,
      reason: "too-few-customers",
      message: `${spenders.length} customers with repeat purchases are too few to fit spend (at least ${MIN_SPENDERS_TO_FIT})`,
    };
  const n = spenders.length;
  const meanValue = spenders.reduce((sum, h) => sum + h.monetary, 0) / n;
  const objective = (u: number[]) => {
    const { value, gradient } = gammaGammaLogLikelihood(spenders, fromLogScale(u));
    const wall = u.map((ui) => Math.max(0, Math.abs(ui) - LOG_LIMIT));
    return {
      value: -value / n + wall.reduce((sum, excess) => sum + excess * excess, 0),
      gradient: gradient.map((g, i) => -g / n + 2 * wall[i] * Math.sign(u[i])),
    };
  };
  // Start at p = q = 1 with v the mean value: the scale of v follows the currency unit.
  const minimum = minimize(objective, [0, 0, Math.log(meanValue)]);
  const params = fromLogScale(minimum.point);
  const logLikelihood = gammaGammaLogLikelihood(spenders, params).value;
  if (!minimum.converged || !Number.isFinite(logLikelihood))
    return {
      ok: false,
      reason: "no-optimum",
      message: "the spend likelihood has no maximum (do repeat buyers all spend the same?)",
    };
  const { p, q, v } = params;
  // With q ≤ 1 the population mean p·v/(q−1) does not exist: the observed mean stands in.
  const newCustomerValue = q > 1 ? (p * v) / (q - 1) : meanValue;
  return { ok: true, params, logLikelihood, customers: n, newCustomerValue };
}

/**
 * E[value of a future purchase | x, m̄] = p·(v + x·m̄) / (p·x + q − 1), the posterior mean;
 * newCustomerValue without repeats, and the customer's own m̄ where that mean does not exist.
 */
export function expectedOrderValue(
  fit: Extract<GammaGammaFit, { ok: true }>,
  h: SpendHistory,
): number {
  const { p, q, v } = fit.params;
  if (h.frequency === 0) return fit.newCustomerValue;
  const shape = p * h.frequency + q - 1;
  return shape > 0 ? (p * (v + h.frequency * h.monetary)) / shape : h.monetary;
}

/**
 * The log-likelihood and its gradient in (ln p, ln q, ln v). The gamma terms depend on x only
 * and are worked out once per distinct x; v^q / (v + x·m̄)^(px+q) is written with log1p so large
 * v loses nothing.
 */
export function gammaGammaLogLikelihood(
  spenders: readonly SpendHistory[],
  params: GammaGammaParams,
) {
  const { p, q, v } = params;
  const byX = new Map<number, { gammas: number; dp: number; dq: number }>();
  const logGammaQ = logGamma(q);
  const digammaQ = digamma(q);
  let value = 0;
  let dp = 0;
  let dq = 0;
  let dLogV = 0;
  for (const { frequency: x, monetary: m } of spenders) {
    let perX = byX.get(x);
    if (!perX) {
      const shape = p * x;
      const digammaTotal = digamma(shape + q);
      perX = {
        gammas: logGamma(shape + q) - logGamma(shape) - logGammaQ,
        dp: x * (digammaTotal - digamma(shape)),
        dq: digammaTotal - digammaQ,
      };
      byX.set(x, perX);
    }
    const total = x * m;
    const spendOverV = Math.log1p(total / v);
    const vOverSpend = Math.log1p(v / total);
    value += perX.gammas - q * spendOverV - p * x * vOverSpend - Math.log(m);
    dp += perX.dp - x * vOverSpend;
    dq += perX.dq - spendOverV;
    dLogV += q - ((p * x + q) * v) / (v + total);
  }
  return { value, gradient: [p * dp, q * dq, dLogV] };
}

function fromLogScale(u: number[]): GammaGammaParams {
  return { p: Math.exp(u[0]), q: Math.exp(u[1]), v: Math.exp(u[2]) };
}

/**
 * The BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6) and its gradient in the log
 * parameters, for maximum likelihood. Per customer, with x repeat purchases, last at t_x, seen
 * for T:
 *
 *   L = Γ(r+x) αʳ / Γ(r) · [ B(a, b+x) / B(a, b) · (α+T)^−(r+x)
 *                          + 1{x>0} · B(a+1, b+x−1) / B(a, b) · (α+t_x)^−(r+x) ]
 *
 * x is a whole number, so the gamma and beta ratios are finite products — Γ(r+x)/Γ(r) =
 * Π_{k<x} (r+k) and B(a, b+x)/B(a, b) = Π_{k<x} (b+k)/(a+b+k) — summed as logs once per
 * evaluation for every x at once: no lgamma, exact for any size of a or b. The bracket is a
 * log-sum-exp of its two terms. Customers with the same (x, t_x, T) are counted once, with a weight.
 */

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** What the fit reads of a customer; time in any one unit. */
export interface RepeatHistory {
  frequency: number;
  recency: number;
  T: number;
}

/** Customers grouped by (x, t_x, T), each distinct history once with how many share it. */
export interface HistoryTable {
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  customers: number;
  maxX: number;
}

/** Throws a RangeError naming the first history the model cannot read. */
export function validateHistory(h: RepeatHistory, label: string) {
  const { frequency: x, recency: tx, T } = h;
  if (!Number.isInteger(x) || x < 0)
    throw new RangeError(`${label}: frequency ${x} is not a whole number of repeat purchases`);
  if (!Number.isFinite(T) || T < 0) throw new RangeError(`${label}: T ${T} is not a time span`);
  if (!Number.isFinite(tx) || tx < 0 || tx > T)
    throw new RangeError(`${label}: recency ${tx} is not between 0 and T ${T}`);
  if (x === 0 && tx !== 0) throw new RangeError(`${label}: recency ${tx} without repeat purchases`);
}

export function tabulateHistories(histories: readonly RepeatHistory[]): HistoryTable {
  // Nested maps on the numbers themselves: string keys cost more than the fit on 100,000 rows.
  const index = new Map<number, Map<number, Map<number, number>>>();
  const rows: { x: number; tx: number; T: number; weight: number }[] = [];
  histories.forEach((h, i) => {
    validateHistory(h, `customer ${i}`);
    let byT = index.get(h.frequency);
    if (!byT) index.set(h.frequency, (byT = new Map()));
    let byRecency = byT.get(h.T);
    if (!byRecency) byT.set(h.T, (byRecency = new Map()));
    const row = byRecency.get(h.recency);
    if (row === undefined) {
      byRecency.set(h.recency, rows.length);
      rows.push({ x: h.frequency, tx: h.recency, T: h.T, weight: 1 });
    } else rows[row].weight++;
  });
  return {
    x: Int32Array.from(rows, (row) => row.x),
    tx: Float64Array.from(rows, (row) => row.tx),
    T: Float64Array.from(rows, (row) => row.T),
    weight: Float64Array.from(rows, (row) => row.weight),
    customers: histories.length,
    maxX: rows.reduce((max, row) => Math.max(max, row.x), 0),
  };
}

/**
 * The log-likelihood of all customers and its gradient with respect to (ln r, ln α, ln a, ln b).
 * Each term (log-sum-exp, log1p) stays finite however far the parameters go.
 */
export function bgNbdLogLikelihood(table: HistoryTable, params: BgNbdParams) {
  const { r, alpha, a, b } = params;
  const { maxX } = table;
  // Per x: ln Γ(r+x)/Γ(r), ln B(a, b+x)/B(a, b), ln B(a+1, b+x−1)/B(a, b) and their derivatives.
  const gammaRatio = new Float64Array(maxX + 1);
  const dGammaRatio = new Float64Array(maxX + 1);
  const beta1 = new Float64Array(maxX + 1);
  const dBeta1a = new Float64Array(maxX + 1);
  const dBeta1b = new Float64Array(maxX + 1);
  for (let k = 0; k < maxX; k++) {
    gammaRatio[k + 1] = gammaRatio[k] + Math.log(r + k);
    dGammaRatio[k + 1] = dGammaRatio[k] + 1 / (r + k);
    // ln((b+k)/(a+b+k)) = −ln(1 + a/(b+k)), precise when a is small against b.
    beta1[k + 1] = beta1[k] - Math.log1p(a / (b + k));
    dBeta1a[k + 1] = dBeta1a[k] - 1 / (a + b + k);
    dBeta1b[k + 1] = dBeta1b[k] + 1 / (b + k) - 1 / (a + b + k);
  }
  const logA = Math.log(a);
  let value = 0;
  let dr = 0;
  let dLogAlpha = 0; // already on the log scale
  let da = 0;
  let db = 0;
  for (let i = 0; i < table.x.length; i++) {
    const x = table.x[i];
    const w = table.weight[i];
    const T = table.T[i];
    // αʳ (α+T)^−(r+x) = (1 + T/α)^−r (α+T)^−x: no large terms cancelling when α and r are large.
    const growthT = Math.log1p(T / alpha);
    const first = beta1[x] - r * growthT - (x > 0 ? x * Math.log(alpha + T) : 0);
    // d first / d ln α
    const dFirstAlpha = (r * T - x * alpha) / (alpha + T);
    let logBracket = first;
    let dBracketR = -growthT;
    let dBracketAlpha = dFirstAlpha;
    let dBracketA = dBeta1a[x];
    let dBracketB = dBeta1b[x];
    if (x > 0) {
      // B(a+1, b+x−1)/B(a, b) = a/(a+b+x−1) · B(a, b+x−1)/B(a, b)
      const tx = table.tx[i];
      const abx = a + b + x - 1;
      const growthTx = Math.log1p(tx / alpha);
      const second = logA - Math.log(abx) + beta1[x - 1] - r * growthTx - x * Math.log(alpha + tx);
      const gap = second - first;
      const e = Math.exp(-Math.abs(gap));
      logBracket = Math.max(first, second) + Math.log1p(e);
      const w1 = gap > 0 ? e / (1 + e) : 1 / (1 + e); // share of the first term
      const w2 = 1 - w1;
      dBracketR = -(w1 * growthT + w2 * growthTx);
      dBracketAlpha = w1 * dFirstAlpha + (w2 * (r * tx - x * alpha)) / (alpha + tx);
      dBracketA = w1 * dBeta1a[x] + w2 * (1 / a - 1 / abx + dBeta1a[x - 1]);
      dBracketB = w1 * dBeta1b[x] + w2 * (-1 / abx + dBeta1b[x - 1]);
    }
    value += w * (gammaRatio[x] + logBracket);
    dr += w * (dGammaRatio[x] + dBracketR);
    dLogAlpha += w * dBracketAlpha;
    da += w * dBracketA;
    db += w * dBracketB;
  }
  // Chain rule to the log scale: d/d(ln θ) = θ · d/dθ.
  return { value, gradient: [r * dr, dLogAlpha, a * da, b * db] };
}

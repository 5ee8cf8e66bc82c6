/**
 * The few special functions the models need, for positive real arguments, accurate to about
 * 1e-15: both shift the argument up past 10 with their recurrences, then use the asymptotic
 * (Stirling) series, whose coefficients come from the Bernoulli numbers.
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const SHIFT_TO = 10;

/** ln Γ(z) for z > 0. */
export function logGamma(z: number): number {
  if (!(z > 0)) throw new RangeError(`logGamma needs a positive argument, got ${z}`);
  // Γ(z) = Γ(z + k) / (z (z + 1) … (z + k − 1)); the product stays far from overflow below 10.
  let product = 1;
  while (z < SHIFT_TO) product *= z++;
  const inverse = 1 / z;
  const inverseSquared = inverse * inverse;
  const series =
    inverse *
    (1 / 12 +
      inverseSquared *
        (-1 / 360 +
          inverseSquared *
            (1 / 1260 +
              inverseSquared *
                (-1 / 1680 +
                  inverseSquared *
                    (1 / 1188 + inverseSquared * (-691 / 360360 + inverseSquared / 156))))));
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_TWO_PI + series - Math.log(product);
}

/** ψ(z) = d/dz ln Γ(z) for z > 0. */
export function digamma(z: number): number {
  if (!(z > 0)) throw new RangeError(`digamma needs a positive argument, got ${z}`);
  // ψ(z) = ψ(z + 1) − 1/z.
  let shift = 0;
  while (z < SHIFT_TO) shift += 1 / z++;
  const inverseSquared = 1 / (z * z);
  const series =
    inverseSquared *
    (1 / 12 -
      inverseSquared *
        (1 / 120 -
          inverseSquared *
            (1 / 252 -
              inverseSquared *
                (1 / 240 - inverseSquared * (1 / 132 - inverseSquared * (691 / 32760))))));
  return Math.log(z) - 0.5 / z - series - shift;
}

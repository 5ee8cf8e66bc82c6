/**
 * Fitting BG/NBD by maximum likelihood: BFGS on (ln r, ln α, ln a, ln b), so every parameter
 * stays positive. Data the model cannot learn from gives a "cannot fit" result, never NaN.
 */
import {
  bgNbdLogLikelihood,
  tabulateHistories,
  type BgNbdParams,
  type RepeatHistory,
} from "./bg-nbd-likelihood";
import { minimize } from "./minimize";

export type BgNbdFit =
  | {
      ok: true;
      params: BgNbdParams;
      logLikelihood: number;
      customers: number;
      repeatCustomers: number;
      /**
       * "no-dropout": the fit sits on the boundary where customers (almost) never drop out — the
       * mean dropout chance per purchase a/(a+b) is below 1e-4 — so P(alive) is about 1 for
       * everyone, and expected purchases are each customer's Poisson rate continued.
       */
      boundary: "no-dropout" | null;
    }
  | { ok: false; reason: CannotFitReason; message: string };

export type CannotFitReason = "no-customers" | "too-few-customers" | "no-repeats" | "no-optimum";

/** Below this the likelihood cannot tell the four parameters apart. */
export const MIN_CUSTOMERS_TO_FIT = 10;
const NO_DROPOUT_BELOW = 1e-4;
/**
 * Each log parameter is kept within ±18 (θ from 1.5e-8 to 6.6e7) by a soft quadratic wall: on a
 * boundary the likelihood keeps rising towards infinity, and the wall is where the search stops.
 */
const LOG_LIMIT = 18;

/** Fits BG/NBD to customer histories (all in one time unit). Throws on an unreadable history. */
export function fitBgNbd(histories: readonly RepeatHistory[]): BgNbdFit {
  const table = tabulateHistories(histories);
  const n = table.customers;
  const repeatCustomers = histories.filter((h) => h.frequency > 0).length;
  if (n === 0) return cannotFit("no-customers", "there are no customers to fit");
  if (n < MIN_CUSTOMERS_TO_FIT)
    return cannotFit(
      "too-few-customers",
      `${n} customers are too few to fit (at least ${MIN_CUSTOMERS_TO_FIT})`,
    );
  if (repeatCustomers === 0)
    return cannotFit("no-repeats", "no customer has bought on a second day yet");
  const totalT = histories.reduce((sum, h) => sum + h.T, 0);
  const totalRepeats = histories.reduce((sum, h) => sum + h.frequency, 0);
  if (totalT === 0)
    return cannotFit("no-repeats", "no customer has been followed for any time yet");
  // Start at r = 1 with the population's repeat rate, a = b = 1: the scale of α follows the unit.
  const start = [0, Math.log(totalT / totalRepeats), 0, 0];
  const objective = (u: number[]) => {
    const { value, gradient } = bgNbdLogLikelihood(table, fromLogScale(u));
    const wall = u.map((ui) => Math.max(0, Math.abs(ui) - LOG_LIMIT));
    return {
      value: -value / n + wall.reduce((sum, excess) => sum + excess * excess, 0),
      gradient: gradient.map((g, i) => -g / n + 2 * wall[i] * Math.sign(u[i])),
    };
  };
  const minimum = minimize(objective, start);
  const params = fromLogScale(minimum.point);
  const logLikelihood = bgNbdLogLikelihood(table, params).value;
  if (!minimum.converged || !Number.isFinite(logLikelihood))
    return cannotFit("no-optimum", "the likelihood has no maximum the search could reach");
  return {
    ok: true,
    params,
    logLikelihood,
    customers: n,
    repeatCustomers,
    boundary: params.a / (params.a + params.b) < NO_DROPOUT_BELOW ? "no-dropout" : null,
  };
}

function fromLogScale(u: number[]): BgNbdParams {
  return { r: Math.exp(u[0]), alpha: Math.exp(u[1]), a: Math.exp(u[2]), b: Math.exp(u[3]) };
}

function cannotFit(reason: CannotFitReason, message: string): BgNbdFit {
  return { ok: false, reason, message };
}

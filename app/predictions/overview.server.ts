/**
 * What the admin shows about a shop's predictions: the latest refit (method and why, the
 * backtest, the parameters), the totals of the stored predictions and the built-in segments on
 * them. Plain JSON for loaders.
 */
import type { MethodScore } from "~/domain/predictions";
import { PREDICTION_SEGMENTS } from "~/domain/segments/prediction-segments";
import { loadPredictionFit, predictionTotals } from "~/models/predictions.server";
import { listSegments } from "~/models/segments.server";

export interface BacktestRow {
  method: "model" | "baseline" | "heuristic";
  score: MethodScore | null;
}

/** The latest refit in brief (the segments list's card), or null before the first one. */
export async function predictionsInBrief(shop: string) {
  const fit = await loadPredictionFit(shop);
  return (
    fit && {
      method: fit.method,
      reasons: fit.reasons,
      asOf: fit.asOf.toISOString(),
      fittedAt: fit.fittedAt.toISOString(),
      customers: fit.customers,
    }
  );
}

/** Everything the Predictions page shows. */
export async function predictionsOverview(shop: string) {
  const [fit, totals, segments] = await Promise.all([
    loadPredictionFit(shop),
    predictionTotals(shop),
    listSegments(shop),
  ]);
  const builtIns = PREDICTION_SEGMENTS.flatMap(({ handle }) => {
    const segment = segments.find((s) => s.handle === handle && s.kind === "prediction");
    return segment
      ? [
          {
            handle,
            name: segment.name,
            description: segment.description,
            members: segment.memberCount,
          },
        ]
      : [];
  });
  if (!fit) return { fit: null, totals, segments: builtIns };
  const { backtest } = fit;
  const { bgNbd, gammaGamma } = fit.fits;
  return {
    fit: {
      method: fit.method,
      reasons: fit.reasons,
      asOf: fit.asOf.toISOString(),
      fittedAt: fit.fittedAt.toISOString(),
      timeZone: fit.timeZone,
      customers: fit.customers,
      backtest: {
        calibrationEnd: backtest.calibrationEnd.toISOString(),
        horizonDays: backtest.horizonDays,
        calibrationDays: backtest.calibrationDays,
        customers: backtest.customers,
        repeatCustomers: backtest.repeatCustomers,
        holdoutBuyers: backtest.holdoutBuyers,
        rows: [
          { method: "model", score: backtest.model },
          { method: "baseline", score: backtest.baseline },
          { method: "heuristic", score: backtest.heuristic },
        ] satisfies BacktestRow[],
      },
      bgNbd: bgNbd.ok
        ? { ok: true as const, params: bgNbd.params, noDropout: bgNbd.boundary === "no-dropout" }
        : { ok: false as const, message: bgNbd.message },
      gammaGamma: gammaGamma.ok
        ? {
            ok: true as const,
            params: gammaGamma.params,
            typicalValueCents: gammaGamma.newCustomerValue,
          }
        : { ok: false as const, message: gammaGamma.message },
    },
    totals,
    segments: builtIns,
  };
}

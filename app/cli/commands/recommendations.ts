import { parseCalendarTime } from "~/domain/dates";
import { EVALUATION_KS, evaluationTable } from "~/domain/upsell/evaluation";
import { MAX_PER_PRODUCT } from "~/domain/upsell/recommender";
import {
  EvaluationRangeError,
  evaluateShop,
  measureRecommendationQuality,
} from "~/storefront/recommendations.server";
import { loadEvaluation } from "~/models/upsell-choices.server";
import { UsageError, type CliCommand } from "../command";
import { knownShop } from "../known-shop";

function kOption(value: string | boolean | undefined) {
  const k =
    value === undefined
      ? 5
      : typeof value === "string" && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!(k >= 1 && k <= MAX_PER_PRODUCT))
    throw new UsageError(`--k needs a whole number from 1 to ${MAX_PER_PRODUCT}, got "${value}"`);
  return k;
}

const number = new Intl.NumberFormat("en-US");

export const recommendationCommands: CliCommand[] = [
  {
    name: "recommendations evaluate",
    usage: "recommendations evaluate <shop> --cutoff <ISO date> [--k 5]",
    options: { cutoff: { type: "string" }, k: { type: "string" } },
    async run(positionals, options) {
      const cutoff = parseCalendarTime(options.cutoff);
      if (!cutoff)
        throw new UsageError(
          `--cutoff needs an ISO date such as 2026-06-30, got ${options.cutoff === undefined ? "nothing" : `"${options.cutoff}"`}`,
        );
      const k = kOption(options.k);
      const shop = await knownShop(positionals, { alone: true });
      const ks = [...new Set([...EVALUATION_KS.filter((each) => each < k), k])];
      const { evaluation } = await evaluateShop(shop, cutoff, { ks }).catch((error) => {
        throw error instanceof EvaluationRangeError ? new UsageError(error.message) : error;
      });
      console.log(
        `trained on ${number.format(evaluation.trainOrders)} orders before ${cutoff.toISOString()}, tested on ${number.format(evaluation.testOrders)} orders after it: ${number.format(evaluation.pairs)} (order, product) pairs, ${number.format(evaluation.productsSold)} products sold before the cutoff`,
      );
      for (const line of evaluationTable(evaluation)) console.log(line);
    },
  },
  {
    name: "recommendations quality",
    usage: "recommendations quality <shop> [--as-of <ISO date>]",
    options: { "as-of": { type: "string" } },
    async run(positionals, options) {
      const asOf =
        options["as-of"] === undefined ? new Date() : parseCalendarTime(options["as-of"]);
      if (!asOf) throw new UsageError(`--as-of is not a date: ${options["as-of"]}`);
      const shop = await knownShop(positionals, { alone: true });
      const { measured } = await measureRecommendationQuality(shop, asOf);
      const stored = (await loadEvaluation(shop))!;
      console.log(
        `${measured ? "measured" : "already current, measured"} ${stored.computedAt.toISOString()} for the storefront page; add-ons detected: ${stored.addOns.length}`,
      );
      if (stored.evaluation)
        for (const line of evaluationTable(stored.evaluation)) console.log(line);
      else console.log("too few orders before or since the cutoff to test on");
    },
  },
];

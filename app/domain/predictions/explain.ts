/**
 * Each stored prediction of a customer with one plain sentence saying where it comes from, for
 * the merchant: the model's numbers in words, the heuristic's as the arithmetic it is.
 */
import type { GammaGammaParams } from "./gamma-gamma";
import type { StoredPrediction } from "./refresh";

export interface PredictionContext {
  /** The spend model the model method valued orders with; null when it was not fitted. */
  spend: { params: GammaGammaParams; newCustomerValue: number } | null;
  /** The shop's median interval between purchase days, in days. */
  typicalIntervalDays: number | null;
  /** Share of the shop's buyers who ever bought on a second day. */
  returningShare: number;
  /** Formats an amount in minor units in the shop currency. */
  money: (minor: number) => string;
}

export type PredictionKey = "orders" | "pAlive" | "orderValue" | "spend" | "overdue";

export interface PredictionLine {
  key: PredictionKey;
  label: string;
  value: string;
  explanation: string;
}

const days = (count: number) => {
  const whole = Math.round(count);
  return `${whole} day${whole === 1 ? "" : "s"}`;
};
const orders = (count: number) => count.toFixed(2);
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The customer's five predictions, each with its sentence. */
export function explainPrediction(
  p: StoredPrediction,
  context: PredictionContext,
): PredictionLine[] {
  const since = p.T - p.recency;
  const interval = p.frequency > 0 ? p.recency / p.frequency : context.typicalIntervalDays;
  return [
    {
      key: "orders",
      label: "Expected orders: next 30 / 90 / 365 days",
      value: `${orders(p.expectedOrders30d)} / ${orders(p.expectedOrders90d)} / ${orders(p.expectedOrders365d)}`,
      explanation: explainOrders(p, since, interval),
    },
    {
      key: "pAlive",
      label: p.method === "model" ? "Chance still a customer" : "Buy-soon score",
      value: percent(p.pAlive),
      explanation:
        p.method === "model"
          ? explainAlive(p, since, interval)
          : explainBuySoon(p, since, interval, context.returningShare),
    },
    {
      key: "orderValue",
      label: "Expected order value",
      value: context.money(p.expectedOrderValue),
      explanation: explainOrderValue(p, context),
    },
    {
      key: "spend",
      label: "Predicted spend: next 365 days",
      value: context.money(p.predictedSpend365d),
      explanation: `${orders(p.expectedOrders365d)} expected orders in the next 365 days × ${context.money(p.expectedOrderValue)} per order.`,
    },
    {
      key: "overdue",
      label: "Days overdue",
      value: p.daysOverdue === null ? "–" : String(Math.round(p.daysOverdue)),
      explanation: explainOverdue(p, since, interval),
    },
  ];
}

function explainOrders(p: StoredPrediction, since: number, interval: number | null) {
  if (p.method === "model")
    return `Bought on ${days(p.frequency + 1)} in the ${days(p.T)} since their first order, the last ${days(since)} ago: your store's fitted model (BG/NBD) continues that pace, discounted by the chance they have stopped buying.`;
  if (interval === null || !(interval > 0) || p.pAlive === 0)
    return "No customer of your store has bought twice yet, so there is no usual pace to continue.";
  const pace = p.frequency > 0 ? "their usual pace" : "your repeat customers' usual pace";
  return `At ${pace} of one order every ${days(interval)}, ${orders(90 / interval)} orders in 90 days, times their buy-soon score of ${percent(p.pAlive)}.`;
}

function explainAlive(p: StoredPrediction, since: number, interval: number | null) {
  if (p.frequency === 0)
    return "One purchase day so far: the model only counts a customer as gone after they have come back once, so this stays at 100% until their next order.";
  const rhythm =
    interval !== null && since <= interval
      ? "still within their usual rhythm"
      : "a longer silence than usual";
  return `Last order ${days(since)} ago, against about ${days(interval ?? 0)} between their orders: ${rhythm}. The longer the silence compared with their pace, the lower this chance.`;
}

function explainBuySoon(
  p: StoredPrediction,
  since: number,
  interval: number | null,
  returningShare: number,
) {
  if (interval === null || !(interval > 0))
    return "No customer of your store has bought twice yet, so there is no usual interval to compare with.";
  const whose = p.frequency > 0 ? "their usual interval" : "your repeat customers' usual interval";
  const base =
    since <= interval
      ? `Last order ${days(since)} ago, within ${whose} of ${days(interval)}: 100%`
      : `${whose[0].toUpperCase()}${whose.slice(1)} of ${days(interval)} ÷ ${days(since)} since their last order = ${percent(interval / since)}`;
  return p.frequency > 0
    ? `${base}.`
    : `${base}, times the ${percent(returningShare)} of your customers who ever came back (one order so far).`;
}

function explainOrderValue(p: StoredPrediction, context: PredictionContext) {
  const own = `Their own average per purchase day: ${context.money(p.averageValue)} over ${days(p.frequency + 1)}`;
  if (p.method === "heuristic") return `${own}.`;
  if (!context.spend)
    return `${own} (too few repeat customers in your store to fit a spend model).`;
  const { params, newCustomerValue } = context.spend;
  if (p.frequency === 0)
    return `No repeat purchase yet: what a purchase in your store is typically worth, ${context.money(newCustomerValue)}, from the fitted spend model (Gamma-Gamma).`;
  const shape = params.p * p.frequency + params.q - 1;
  if (!(shape > 0)) return `Their own average per repeat purchase: ${context.money(p.monetary)}.`;
  const weight = (params.p * p.frequency) / shape;
  return `Their own average of ${context.money(p.monetary)} per repeat purchase, counted at ${percent(weight)} against your store's typical ${context.money(newCustomerValue)}: the more they have bought, the more their own average counts.`;
}

function explainOverdue(p: StoredPrediction, since: number, interval: number | null) {
  if (p.daysOverdue === null || interval === null)
    return "No customer of your store has bought twice yet, so there is no usual interval to be overdue against.";
  const who = p.frequency > 0 ? "they usually order" : "your repeat customers usually order";
  const verdict =
    p.daysOverdue > 0
      ? `${days(p.daysOverdue)} overdue`
      : `next order due in about ${days(-p.daysOverdue)}`;
  return `Last order ${days(since)} ago and ${who} every ${days(interval)}: ${verdict}.`;
}

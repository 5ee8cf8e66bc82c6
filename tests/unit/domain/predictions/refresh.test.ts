// A shop's refresh in the domain core: the stored fields are the chosen method's numbers over 30,
// 90 and 365 days, and every stored number comes with a sentence that states its own arithmetic.
import { describe, expect, it } from "vitest";
import {
  explainPrediction,
  fitModels,
  predictWith,
  runPredictions,
  summarizeCustomers,
  type PredictionContext,
  type StoredPrediction,
} from "~/domain/predictions";
import { generateBgNbdStore, generateClockworkStore } from "../../../support/predictions-store";

const start = new Date("2025-01-01T00:00:00Z");
const asOf = new Date("2026-06-30T00:00:00Z");
const money = (minor: number) => `€${(minor / 100).toFixed(2)}`;

describe("runPredictions", () => {
  it("stores the chosen method's 30/90/365-day predictions with each customer's summary", async () => {
    const store = generateBgNbdStore({
      customers: 3_000,
      bgNbd: { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 },
      gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
      start,
      acquisitionDays: 240,
      end: asOf,
      seed: 9,
    });
    const run = await runPredictions(store, { asOf, timeZone: "Asia/Tokyo" });
    expect(run.method).toBe("model");
    expect(run.backtest.horizonDays).toBe(90);
    const summaries = summarizeCustomers(store, { calibrationEnd: asOf, timeZone: "Asia/Tokyo" });
    const fits = fitModels(summaries);
    expect(run.fits).toEqual(fits);
    const in90 = predictWith(run, fits, summaries, 90);
    const in365 = predictWith(run, fits, summaries, 365);
    expect(run.predictions).toHaveLength(summaries.length);
    run.predictions.forEach((p, i) => {
      expect(p).toMatchObject({
        customerId: summaries[i].customerId,
        method: "model",
        frequency: summaries[i].frequency,
        recency: summaries[i].recency,
        T: summaries[i].T,
        expectedOrders90d: in90[i].expectedPurchases,
        expectedOrders365d: in365[i].expectedPurchases,
        pAlive: in365[i].pAlive,
        predictedSpend365d: in365[i].predictedSpend,
      });
      expect(p.expectedOrders30d).toBeLessThanOrEqual(p.expectedOrders90d);
      expect(p.expectedOrders90d).toBeLessThanOrEqual(p.expectedOrders365d);
    });
    // Each customer's latest purchase up to as-of: what makes a stored prediction stale later.
    const [firstId, firstPurchases] = [...store][0];
    const latest = Math.max(...firstPurchases.map((p) => p.at.getTime()));
    expect(run.predictions.find((p) => p.customerId === firstId)!.lastOrderAt).toEqual(
      new Date(latest),
    );
    const repeaters = summaries.filter((s) => s.frequency > 0).length;
    expect(run.returningShare).toBeCloseTo(repeaters / summaries.length, 12);
  });

  it("falls back to the heuristic for the same fields where the model loses", async () => {
    const run = await runPredictions(generateClockworkStore(500, start, asOf), {
      asOf,
      timeZone: "UTC",
    });
    expect(run.method).toBe("heuristic");
    expect(run.reasons.join(" ")).toMatch(/not at least 2% below simply continuing/);
    expect(run.predictions.every((p) => p.method === "heuristic")).toBe(true);
  });

  it("pauses between its steps, so a server can let other work in", async () => {
    let pauses = 0;
    const store = generateClockworkStore(50, start, asOf);
    await runPredictions(store, { asOf, timeZone: "UTC", pause: async () => void pauses++ });
    expect(pauses).toBe(5); // after the backtest and the summaries, before each of 3 horizons
  });

  it("gives an empty shop the heuristic and says why, without NaN", async () => {
    const run = await runPredictions(new Map(), { asOf, timeZone: "UTC" });
    expect(run).toMatchObject({ method: "heuristic", predictions: [], returningShare: 0 });
    expect(run.typicalIntervalDays).toBeNull();
    expect(run.reasons[0]).toMatch(/History is too short: 0 days/);
  });
});

describe("explainPrediction", () => {
  const base: StoredPrediction = {
    customerId: "c1",
    method: "heuristic",
    frequency: 3,
    recency: 90, // every 30 days
    T: 150, // last purchase 60 days ago
    monetary: 4_000,
    averageValue: 5_000,
    expectedOrders30d: 0.5,
    expectedOrders90d: 1.5,
    expectedOrders365d: 6.08,
    pAlive: 0.5,
    expectedOrderValue: 5_000,
    predictedSpend365d: 30_416.67,
    daysOverdue: 30,
    lastOrderAt: new Date("2026-05-01T10:00:00Z"),
  };
  const context: PredictionContext = {
    spend: { params: { p: 6, q: 4, v: 1_500 }, newCustomerValue: 3_000 },
    typicalIntervalDays: 45,
    returningShare: 0.25,
    money,
  };
  const byKey = (p: StoredPrediction, c = context) =>
    Object.fromEntries(explainPrediction(p, c).map((line) => [line.key, line]));

  it("states the heuristic's arithmetic", () => {
    const lines = byKey(base);
    expect(lines.pAlive).toMatchObject({ label: "Buy-soon score", value: "50%" });
    expect(lines.pAlive.explanation).toBe(
      "Their usual interval of 30 days ÷ 60 days since their last order = 50%.",
    );
    expect(lines.orders.value).toBe("0.50 / 1.50 / 6.08");
    expect(lines.orders.explanation).toBe(
      "At their usual pace of one order every 30 days, 3.00 orders in 90 days, times their buy-soon score of 50%.",
    );
    expect(lines.orderValue.explanation).toBe(
      "Their own average per purchase day: €50.00 over 4 days.",
    );
    expect(lines.spend.explanation).toBe(
      "6.08 expected orders in the next 365 days × €50.00 per order.",
    );
    expect(lines.overdue).toMatchObject({ value: "30" });
    expect(lines.overdue.explanation).toBe(
      "Last order 60 days ago and they usually order every 30 days: 30 days overdue.",
    );
  });

  it("uses the shop's interval and come-back share for a one-time buyer", () => {
    const oneTime = { ...base, frequency: 0, recency: 0, T: 20, pAlive: 0.25, daysOverdue: -25 };
    const lines = byKey(oneTime);
    expect(lines.pAlive.explanation).toBe(
      "Last order 20 days ago, within your repeat customers' usual interval of 45 days: 100%, times the 25% of your customers who ever came back (one order so far).",
    );
    expect(lines.overdue.explanation).toBe(
      "Last order 20 days ago and your repeat customers usually order every 45 days: next order due in about 25 days.",
    );
  });

  it("says the model's numbers in words, with the spend model's weight on the customer's own average", () => {
    const model = { ...base, method: "model" as const, pAlive: 0.8 };
    const lines = byKey(model);
    expect(lines.pAlive).toMatchObject({ label: "Chance still a customer", value: "80%" });
    expect(lines.pAlive.explanation).toMatch(
      /^Last order 60 days ago, against about 30 days between their orders: a longer silence than usual\./,
    );
    // p·x / (p·x + q − 1) = 18 / 21.
    expect(lines.orderValue.explanation).toBe(
      "Their own average of €40.00 per repeat purchase, counted at 86% against your store's typical €30.00: the more they have bought, the more their own average counts.",
    );
    const newcomer = byKey({ ...model, frequency: 0, recency: 0 });
    expect(newcomer.pAlive.explanation).toMatch(/stays at 100% until their next order/);
    expect(newcomer.orderValue.explanation).toMatch(
      /typically worth, €30\.00, from the fitted spend model/,
    );
    const withoutSpend = byKey(model, { ...context, spend: null });
    expect(withoutSpend.orderValue.explanation).toMatch(
      /too few repeat customers in your store to fit a spend model/,
    );
  });

  it("has a sentence where the shop has no usual interval yet", () => {
    const none = { ...base, frequency: 0, recency: 0, pAlive: 0, daysOverdue: null };
    const lines = byKey(none, { ...context, typicalIntervalDays: null });
    expect(lines.overdue.value).toBe("–");
    expect(lines.overdue.explanation).toMatch(/no usual interval to be overdue against/);
    expect(lines.pAlive.explanation).toMatch(/no usual interval to compare with/);
    expect(lines.orders.explanation).toMatch(/no usual pace to continue/);
  });
});

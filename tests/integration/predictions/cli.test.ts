// `predictions backtest` and `predictions refresh` as an operator runs them: the backtest table
// on a generated store where the model wins, the fallback to the heuristic on one where it loses
// (PRODUCT.md §9, issue 20 must-show 4), the per-customer CSV, and bad arguments refused with a
// clear message, a non-zero exit and nothing written.
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runBacktest } from "~/domain/predictions";
import { CUSTOMER_COLUMNS } from "~/predictions/backtest-report.server";
import { runCli } from "../../support/cli";
import { generateBgNbdStore, generateClockworkStore } from "../../support/predictions-store";
import { inCents, insertPurchaseStore } from "../../support/prediction-rows";
import { testShop } from "../../support/shopify-requests";

const cli = (...args: string[]) => runCli(args, { NODE_ENV: "production" });
const DAY = 86_400_000;
const start = new Date("2025-01-01T00:00:00Z");
const asOf = new Date("2026-06-30T00:00:00Z");
const calibrationEnd = new Date(asOf.getTime() - 90 * DAY);

/** The CSV part of the output: the header and one row per customer, as records. */
function customerRows(stdout: string) {
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) => line === CUSTOMER_COLUMNS.join(","));
  expect(header).toBeGreaterThan(0);
  return lines
    .slice(header + 1)
    .filter(Boolean)
    .map((line) =>
      Object.fromEntries(line.split(",").map((cell, i) => [CUSTOMER_COLUMNS[i], cell])),
    );
}

/** A row of the backtest table: MAE, correlation, predicted and actual total, top-fifth share. */
function tableRow(stdout: string, method: string) {
  const line = stdout.split("\n").find((text) => text.trim().startsWith(method))!;
  const cells = line.trim().slice(method.length).trim().split(/\s+/);
  return {
    mae: Number(cells[0]),
    correlation: Number(cells[1]),
    predicted: Number(cells[2]),
    actual: Number(cells[3].replace(/,/g, "")),
    topFifth: cells[4],
  };
}

describe("predictions backtest", () => {
  it("prints the parameters, the table and each customer where the model wins", async () => {
    const store = generateBgNbdStore({
      customers: 2_000,
      bgNbd: { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 },
      gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
      start,
      acquisitionDays: 240,
      end: asOf,
      seed: 5,
    });
    const shop = testShop("predict-cli-win");
    await insertPurchaseStore(shop, store, "Europe/Berlin");
    const args = ["--calibration-end", calibrationEnd.toISOString(), "--horizon-days", "90"];
    const { code, stdout, stderr } = await cli("predictions", "backtest", shop, ...args);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(
      `Predictions backtest of ${shop} (purchase days in Europe/Berlin, money in EUR)`,
    );
    expect(stdout).toMatch(
      /BG\/NBD {7}r = 0\.\d{4} {2}alpha = \d+\.\d{4} {2}a = \d\.\d{4} {2}b = \d+\.\d{4}/,
    );
    expect(stdout).toMatch(/Gamma-Gamma {2}p = \d+\.\d{4} {2}q = \d+\.\d{4} {2}v = \d+\.\d{4}/);
    expect(stdout).toContain("Method: the model (BG/NBD and Gamma-Gamma)");

    // The table is the domain core's backtest of the same purchases.
    const report = runBacktest(inCents(store), {
      asOf,
      horizonDays: 90,
      timeZone: "Europe/Berlin",
    });
    const model = tableRow(stdout, "model");
    const baseline = tableRow(stdout, "naive baseline");
    const heuristic = tableRow(stdout, "heuristic");
    expect(model.mae).toBeCloseTo(report.model!.meanAbsoluteError, 4);
    expect(baseline.mae).toBeCloseTo(report.baseline.meanAbsoluteError, 4);
    expect(heuristic.correlation).toBeCloseTo(report.heuristic.correlation!, 4);
    expect(model.actual).toBe(report.model!.actualTotal);
    expect(model.mae).toBeLessThan(baseline.mae);

    const rows = customerRows(stdout);
    expect(rows).toHaveLength(report.customers);
    const sum = (column: string) => rows.reduce((total, row) => total + Number(row[column]), 0);
    expect(sum("expected_purchases")).toBeCloseTo(model.predicted, 0);
    expect(sum("actual_purchases")).toBe(model.actual);
    for (const row of rows.slice(0, 200)) {
      expect(Number(row.recency)).toBeLessThanOrEqual(Number(row.T));
      expect(Number(row.p_alive)).toBeGreaterThan(0);
      expect(Number(row.p_alive)).toBeLessThanOrEqual(1);
      // Spend is purchases × a positive order value; money has two decimals.
      expect(row.predicted_spend).toMatch(/^\d+\.\d{2}$/);
      if (Number(row.frequency) === 0) expect(Number(row.p_alive)).toBe(1);
    }
    // Reading leaves nothing behind.
    expect(await prisma.predictionFit.count({ where: { shop } })).toBe(0);
  });

  it("falls back to the heuristic where the model loses to the baseline, and says why (CSV)", async () => {
    const shop = testShop("predict-cli-lose");
    await insertPurchaseStore(shop, generateClockworkStore(600, start, asOf));
    const args = ["--calibration-end", "2026-04-01", "--horizon-days", "90", "--format", "csv"];
    const { code, stdout, stderr } = await cli("predictions", "backtest", shop, ...args);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const comments = stdout.split("\n").filter((line) => line.startsWith("#"));
    expect(comments.join("\n")).toContain(
      "# Method: the heuristic (days since the last order against the usual interval)",
    );
    expect(comments.join("\n")).toMatch(
      /# {3}- The model's error \([\d.]+ purchases per customer\) is not at least 2% below simply continuing each customer's past rate/,
    );
    expect(comments.join("\n")).toContain("p_alive holds the buy-soon score");
    const model = tableRow(stdout.replace(/^# /gm, ""), "model");
    const baseline = tableRow(stdout.replace(/^# /gm, ""), "naive baseline");
    expect(model.mae).toBeGreaterThan(baseline.mae * 0.98);
    // Every line is a comment, the header or a customer row.
    const rows = customerRows(stdout);
    expect(comments.length + 1 + rows.length).toBe(stdout.split("\n").filter(Boolean).length);
    expect(rows.length).toBe(600);
    for (const row of rows) expect(Object.keys(row)).toEqual([...CUSTOMER_COLUMNS]);
  });

  it("refuses bad arguments with a clear message, exit 2 and nothing written", async () => {
    const shop = testShop("predict-cli-bad");
    await insertPurchaseStore(shop, generateClockworkStore(20, start, asOf));
    const backtest = (...args: string[]) => cli("predictions", "backtest", shop, ...args);
    const cases: [Promise<{ code: number; stderr: string }>, RegExp][] = [
      [backtest("--horizon-days", "90"), /--calibration-end needs an ISO date .* got nothing/],
      [backtest("--calibration-end", "2026-02-30", "--horizon-days", "90"), /got "2026-02-30"/],
      [
        backtest("--calibration-end", "2026-01-01", "--horizon-days", "0"),
        /--horizon-days needs a whole number of days from 1 to 3650, got "0"/,
      ],
      [backtest("--calibration-end", "2026-01-01", "--horizon-days", "9.5"), /got "9\.5"/],
      [
        backtest("--calibration-end", "2026-12-01", "--horizon-days", "90"),
        /ends 2027-03-01T00:00:00\.000Z, after now: orders it needs have not happened yet/,
      ],
      [
        backtest("--calibration-end", "2026-01-01", "--horizon-days", "90", "--format", "xml"),
        /--format is text or csv, not "xml"/,
      ],
      [
        cli(
          "predictions",
          "backtest",
          "nope.myshopify.com",
          "--calibration-end",
          "2026-01-01",
          "--horizon-days",
          "90",
        ),
        /unknown shop "nope\.myshopify\.com"/,
      ],
      [cli("predictions", "refresh", shop, "--as-of", "yesterday"), /--as-of needs an ISO date/],
    ];
    for (const [run, message] of cases) {
      const { code, stderr } = await run;
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).toContain("usage: npm run cli -- predictions");
    }
    expect(await prisma.predictionFit.count({ where: { shop } })).toBe(0);
  });
});

describe("predictions refresh", () => {
  it("refits, stores and reports the method and why", async () => {
    const shop = testShop("predict-cli-refresh");
    await insertPurchaseStore(shop, generateClockworkStore(300, start, asOf));
    const { code, stdout, stderr } = await cli(
      "predictions",
      "refresh",
      shop,
      "--as-of",
      "2026-06-30",
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /refreshed .* as of 2026-06-30T00:00:00\.000Z: 300 customers predicted by the heuristic/,
    );
    expect(stdout).toMatch(/segments on predictions: 0 recomputed/);
    expect(await prisma.customerPrediction.count({ where: { shop } })).toBe(300);
    expect(await prisma.predictionFit.findUnique({ where: { shop } })).toMatchObject({
      method: "heuristic",
      asOf: new Date("2026-06-30T00:00:00Z"),
    });
  });
});

// The published CDNOW results (tests/fixtures/cdnow/PROVENANCE.md): BG/NBD and Gamma-Gamma fitted
// on the 39-week summary, and BG/NBD again from the raw purchase log through the summary step.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  expectedPurchases,
  fitBgNbd,
  fitGammaGamma,
  summarizeCustomers,
  type Purchase,
} from "~/domain/predictions";

const folder = new URL("../../../fixtures/cdnow/", import.meta.url);

function fixture(file: string) {
  const content = readFileSync(new URL(file, folder));
  const row = readFileSync(new URL("PROVENANCE.md", folder), "utf8")
    .split("\n")
    .find((line) => line.startsWith(`| \`${file}\` `));
  const [, bytes, sha256] = /\| (\d+) +\| `([0-9a-f]{64})` \|$/.exec(row ?? "") ?? [];
  expect(content.length, `${file} size`).toBe(Number(bytes));
  expect(createHash("sha256").update(content).digest("hex"), `${file} sha256`).toBe(sha256);
  return content.toString("utf8");
}

// ID, x, t_x, T (weeks), zbar
const summaryRows = fixture("cdnow_customers_summary_with_transactions.csv")
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.split(",").map(Number));
const weeks = summaryRows.map(([, x, tx, T, zbar]) => ({
  frequency: x,
  recency: tx,
  T,
  monetary: zbar,
}));

/** The raw log: sample id, date YYYYMMDD and amount, one purchase a line. */
function rawPurchases() {
  const byCustomer = new Map<string, Purchase[]>();
  for (const line of fixture("CDNOW_sample.txt").split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const [, id, date, , amount] = fields;
    const at = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T00:00:00Z`);
    byCustomer.set(id, [...(byCustomer.get(id) ?? []), { at, value: Number(amount) }]);
  }
  return byCustomer;
}

const within = (actual: number, expected: number, share: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * share);

describe("BG/NBD on the CDNOW sample", () => {
  const fit = fitBgNbd(weeks);

  it("reproduces Fader, Hardie & Lee's parameters and log-likelihood (weeks)", () => {
    if (!fit.ok) throw new Error(fit.message);
    within(fit.params.r, 0.243, 0.01);
    within(fit.params.alpha, 4.414, 0.01);
    within(fit.params.a, 0.793, 0.01);
    within(fit.params.b, 2.426, 0.01);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.1);
    expect(fit.boundary).toBeNull();
    expect(fit.customers).toBe(2357);
    expect(fit.repeatCustomers).toBe(946);
  });

  it("gives the paper's worked example E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226", () => {
    const customer = { frequency: 2, recency: 30.43, T: 38.86 };
    const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(Math.abs(expectedPurchases(published, customer, 39) - 1.226)).toBeLessThan(0.001);
    if (!fit.ok) throw new Error(fit.message);
    expect(Math.abs(expectedPurchases(fit.params, customer, 39) - 1.226)).toBeLessThan(0.001);
  });

  it("in days: r, a, b unchanged and alpha seven times larger", () => {
    const days = fitBgNbd(weeks.map((w) => ({ ...w, recency: w.recency * 7, T: w.T * 7 })));
    if (!days.ok || !fit.ok) throw new Error("no fit");
    within(days.params.alpha, 7 * 4.414, 0.01);
    for (const key of ["r", "a", "b"] as const) within(days.params[key], fit.params[key], 1e-4);
  });

  it("from the raw purchase log through the summary step, calibration ending 1997-09-30", () => {
    const summaries = summarizeCustomers(rawPurchases(), {
      calibrationEnd: new Date("1997-09-30T23:59:59.999Z"),
    });
    expect(summaries).toHaveLength(2357);
    // Customer 1: purchases on 1997-01-01, 01-18, 08-02 (and 12-12, after calibration).
    expect(summaries.find((s) => s.customerId === "0001")).toMatchObject({
      frequency: 2,
      recency: 213,
      T: 272,
    });
    // The published summary, in weeks rounded to two decimals, agrees for every customer.
    const byId = new Map(summaries.map((s) => [Number(s.customerId), s]));
    for (const [id, x, tx, T] of summaryRows) {
      const s = byId.get(id)!;
      expect([s.frequency, Math.abs(s.recency / 7 - tx), Math.abs(s.T / 7 - T)]).toEqual([
        x,
        expect.closeTo(0, 2),
        expect.closeTo(0, 2),
      ]);
    }
    const fromLog = fitBgNbd(summaries);
    if (!fromLog.ok) throw new Error(fromLog.message);
    // Measured: r 0.2426, alpha 30.895 days (4.4136 weeks), a 0.7929, b 2.4259.
    within(fromLog.params.r, 0.243, 0.01);
    within(fromLog.params.alpha, 7 * 4.414, 0.01);
    within(fromLog.params.a, 0.793, 0.01);
    within(fromLog.params.b, 2.426, 0.01);
  });
});

describe("Gamma-Gamma on the CDNOW sample", () => {
  it("reproduces p, q, v from the mean repeat values of the 946 repeat buyers", () => {
    const fit = fitGammaGamma(weeks);
    if (!fit.ok) throw new Error(fit.message);
    expect(fit.customers).toBe(946);
    within(fit.params.p, 6.25, 0.01);
    within(fit.params.q, 3.74, 0.01);
    within(fit.params.v, 15.44, 0.01);
    // A customer without repeats is expected to spend the population mean p·v/(q−1).
    const { p, q, v } = fit.params;
    expect(fit.newCustomerValue).toBeCloseTo((p * v) / (q - 1), 10);
  });
});

// A refresh reads the shop's counted orders, stores what the domain core computes from them
// (the fit, the method and why, every customer's predictions), and the segments on predictions
// follow; a past as-of is refused with nothing changed; the daily job refreshes once a day.
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { runPredictions } from "~/domain/predictions";
import { deleteCustomers } from "~/models/customers.server";
import { loadPredictionFit } from "~/models/predictions.server";
import { refreshPredictionsIfDue } from "~/predictions/jobs.server";
import { refreshPredictions } from "~/predictions/refresh.server";
import { saveCustomSegment } from "~/segments/custom.server";
import { PastRecomputeError, recomputeCustomers, recomputeShop } from "~/segments/recompute.server";
import { generateBgNbdStore } from "../../support/predictions-store";
import {
  gidOf,
  inCents,
  insertPurchaseStore,
  storedPredictions,
} from "../../support/prediction-rows";
import { testShop } from "../../support/shopify-requests";
import { insertOrders, orderGid } from "../../support/store-rows";

const DAY = 86_400_000;
const asOf = new Date("2026-06-30T00:00:00Z");
const TIME_ZONE = "America/New_York";
const store = generateBgNbdStore({
  customers: 1_500,
  bgNbd: { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
  start: new Date("2025-01-01T00:00:00Z"),
  acquisitionDays: 240,
  end: asOf,
  seed: 3,
});

async function seededShop(label: string) {
  const shop = testShop(label);
  await insertPurchaseStore(shop, store, TIME_ZONE);
  return shop;
}

describe("predictions refresh", () => {
  it("stores the domain core's fit, method and per-customer predictions from counted orders", async () => {
    const shop = await seededShop("predict-store");
    const first = gidOf([...store.keys()][0]);
    // Orders that do not count: cancelled, a test, after as-of, and a guest's.
    await insertOrders(shop, [
      {
        id: orderGid("x1"),
        customerId: first,
        processedAt: new Date(asOf.getTime() - DAY),
        totalCents: 9_999_00,
        cancelledAt: asOf,
      },
      {
        id: orderGid("x2"),
        customerId: first,
        processedAt: new Date(asOf.getTime() - DAY),
        totalCents: 9_999_00,
        test: true,
      },
      {
        id: orderGid("x3"),
        customerId: first,
        processedAt: new Date(asOf.getTime() + DAY),
        totalCents: 9_999_00,
      },
      {
        id: orderGid("x4"),
        customerId: null,
        processedAt: new Date(asOf.getTime() - DAY),
        totalCents: 9_999_00,
      },
    ]);

    const { run } = await refreshPredictions(shop, { asOf });
    const expected = await runPredictions(inCents(store), { asOf, timeZone: TIME_ZONE });
    expect(run.method).toBe(expected.method);
    expect(run.reasons).toEqual(expected.reasons);

    const fit = await loadPredictionFit(shop);
    expect(fit).toMatchObject({
      asOf,
      timeZone: TIME_ZONE,
      method: expected.method,
      reasons: expected.reasons,
      customers: expected.predictions.length,
      returningShare: expected.returningShare,
    });
    // The same fit up to the order the customers were summed in (the database's id order).
    const stored = fit!.fits.bgNbd;
    const fitted = expected.fits.bgNbd;
    if (!stored.ok || !fitted.ok) throw new Error("BG/NBD was not fitted");
    for (const key of ["r", "alpha", "a", "b"] as const)
      expect(stored.params[key] / fitted.params[key]).toBeCloseTo(1, 9);
    expect(fit!.backtest.model!.meanAbsoluteError).toBeCloseTo(
      expected.backtest.model!.meanAbsoluteError,
      9,
    );
    expect(fit!.backtest.calibrationEnd).toEqual(new Date(asOf.getTime() - 90 * DAY));

    const rows = await storedPredictions(shop);
    expect(rows).toHaveLength(expected.predictions.length);
    const byId = new Map(expected.predictions.map((p) => [p.customerId, p]));
    for (const row of rows) {
      const p = byId.get(row.customerId)!;
      expect(row).toMatchObject({
        method: p.method,
        frequency: p.frequency,
        recencyDays: p.recency,
        ageDays: p.T,
        daysOverdue: p.daysOverdue,
        lastOrderAt: p.lastOrderAt,
      });
      expect(row.expectedOrders90d).toBeCloseTo(p.expectedOrders90d, 12);
      expect(row.pAlive).toBeCloseTo(p.pAlive, 12);
      expect(row.predictedSpend365dCents).toBeCloseTo(p.predictedSpend365d, 6);
      expect(row.expectedOrderValueCents).toBeCloseTo(p.expectedOrderValue, 6);
    }
  });

  it("moves the built-in and custom segments on predictions, and only by their rules", async () => {
    const shop = await seededShop("predict-segments");
    await recomputeShop(shop, { asOf });
    const saved = await saveCustomSegment(shop, {
      name: "Worth a lot next year",
      rule: { field: "predicted_clv", op: ">=", value: 50_00 },
    });
    expect(saved.ok).toBe(true);
    const members = async (handle: string) => {
      const segment = await prisma.segment.findUniqueOrThrow({
        where: { shop_handle: { shop, handle } },
      });
      const rows = await prisma.segmentMember.findMany({ where: { segmentId: segment.id } });
      expect(segment.memberCount).toBe(rows.length);
      return rows.map((row) => row.customerId).sort();
    };
    // Before any refresh nobody has a prediction.
    expect(await members("likely-to-buy-soon")).toEqual([]);
    expect(await members("worth-a-lot-next-year")).toEqual([]);

    const later = new Date(asOf.getTime() + 60_000);
    const { segments } = await refreshPredictions(shop, { asOf: later });
    expect(segments.recomputed).toBe(3);
    const rows = await storedPredictions(shop);
    const orders = new Map(
      (await prisma.customer.findMany({ where: { shop }, select: { id: true, orders: true } })).map(
        (c) => [c.id, c.orders],
      ),
    );
    const ids = (keep: (row: (typeof rows)[number]) => boolean) =>
      rows
        .filter(keep)
        .map((row) => row.customerId)
        .sort();
    const likely = ids((row) => row.expectedOrders90d >= 0.5);
    const slipping = ids(
      (row) =>
        orders.get(row.customerId)! >= 2 &&
        row.daysOverdue !== null &&
        row.daysOverdue >= 30 &&
        row.pAlive >= 0.2,
    );
    expect(likely.length).toBeGreaterThan(0);
    expect(slipping.length).toBeGreaterThan(0);
    expect(await members("likely-to-buy-soon")).toEqual(likely);
    expect(await members("slipping-away")).toEqual(slipping);
    expect(await members("worth-a-lot-next-year")).toEqual(
      ids((row) => row.predictedSpend365dCents >= 50_00),
    );

    // A full recompute agrees with what the refresh left (the rules read the same rows).
    const again = await recomputeShop(shop, { asOf: new Date(later.getTime() + 60_000) });
    expect(await members("likely-to-buy-soon")).toEqual(likely);
    expect(again.failed).toEqual([]);

    // A slipping customer orders: their prediction is stale, and they leave at once.
    const buyer = slipping[0];
    const bought = new Date(later.getTime() + 3_600_000);
    await insertOrders(shop, [
      { id: orderGid("since"), customerId: buyer, processedAt: bought, totalCents: 42_00 },
    ]);
    await recomputeCustomers(shop, [buyer], { asOf: bought });
    expect(await members("slipping-away")).toEqual(slipping.filter((id) => id !== buyer));
    await recomputeShop(shop, { asOf: new Date(bought.getTime() + 60_000) });
    expect(await members("slipping-away")).not.toContain(buyer);
    // The next refresh knows the order: a current prediction again, just bought, not overdue.
    await refreshPredictions(shop, { asOf: new Date(bought.getTime() + 120_000) });
    const fresh = await prisma.customerPrediction.findUniqueOrThrow({
      where: { shop_customerId: { shop, customerId: buyer } },
    });
    expect(fresh.lastOrderAt).toEqual(bought);
    expect(fresh.daysOverdue).toBeLessThan(0);
    expect(await members("slipping-away")).not.toContain(buyer);
  });

  it("refuses an as-of before the last segment change and changes nothing", async () => {
    const shop = await seededShop("predict-past");
    await recomputeShop(shop, { asOf });
    await expect(
      refreshPredictions(shop, { asOf: new Date(asOf.getTime() - DAY) }),
    ).rejects.toBeInstanceOf(PastRecomputeError);
    expect(await prisma.predictionFit.count({ where: { shop } })).toBe(0);
    expect(await prisma.customerPrediction.count({ where: { shop } })).toBe(0);
  });

  it("drops a deleted customer's predictions with the customer", async () => {
    const shop = await seededShop("predict-delete");
    await refreshPredictions(shop, { asOf });
    const gone = (await storedPredictions(shop))[0].customerId;
    await deleteCustomers(prisma, shop, [gone]);
    expect(await prisma.customerPrediction.count({ where: { shop, customerId: gone } })).toBe(0);
    // The next refresh does not bring it back (its orders stay, unlinked or not).
    await refreshPredictions(shop, { asOf: new Date(asOf.getTime() + DAY) });
    expect(await prisma.customerPrediction.count({ where: { shop, customerId: gone } })).toBe(0);
  });

  it("the daily job refreshes a shop once per UTC day", async () => {
    const shop = await seededShop("predict-daily");
    const morning = new Date("2026-07-01T03:27:00Z");
    expect(await refreshPredictionsIfDue(shop, morning)).not.toBeNull();
    expect(await refreshPredictionsIfDue(shop, new Date("2026-07-01T22:27:00Z"))).toBeNull();
    const next = await refreshPredictionsIfDue(shop, new Date("2026-07-02T00:27:00Z"));
    expect(next?.run.asOf).toEqual(new Date("2026-07-02T00:27:00Z"));
    expect((await loadPredictionFit(shop))?.asOf).toEqual(new Date("2026-07-02T00:27:00Z"));
  });
});

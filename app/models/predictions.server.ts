/**
 * Predictions in the database: the counted purchases a refresh reads, and what it stores (the
 * shop's PredictionFit, one CustomerPrediction per customer), replaced as a whole in one
 * transaction so rules never see half of a refresh.
 */
import prisma, { exclusiveTransaction, type RawDb } from "~/db.server";
import type { Purchase } from "~/domain/predictions/summary";
import type { PredictionRun, StoredPrediction } from "~/domain/predictions/refresh";
import type { BacktestReport } from "~/domain/predictions/backtest";
import type { ModelFits } from "~/domain/predictions/scoring";
import {
  chunks,
  epochMs,
  execute,
  jsonAggregate,
  jsonRows,
  jsonRowsParameter,
  nextTurn,
  query,
  queryJsonRows,
  typed,
} from "./bulk-sql.server";

/** Customers per read of their counted orders: bounds the JSON crossing the driver at once. */
const CUSTOMERS_PER_READ = 20_000;
/**
 * Predictions per insert statement. SQLite runs statements on this thread: smaller statements
 * with a turn of the event loop between them keep a large shop's write from holding it for
 * seconds at a time.
 */
const PREDICTIONS_PER_INSERT = 5_000;

/**
 * Every customer's counted purchases at as-of (PRODUCT.md §1: with a customer the app holds, not
 * cancelled, not a test, processed at or before as-of), values in minor units. Read a page of
 * customers at a time along the covering (shop, customerId, …) Order index.
 */
export async function loadCountedPurchases(
  db: RawDb,
  shop: string,
  asOf: Date,
): Promise<Map<string, Purchase[]>> {
  const purchases = new Map<string, Purchase[]>();
  let after = "";
  for (;;) {
    // The last customer id of the page (null: the rest of the shop fits in it).
    const [bound] = await query<{ id: string }>(
      db,
      `SELECT "id" AS id FROM "Customer" WHERE "shop" = ? AND "id" > ?
       ORDER BY "id" LIMIT 1 OFFSET ${CUSTOMERS_PER_READ - 1}`,
      [shop, after],
    );
    const rows = await queryJsonRows(
      db,
      `SELECT ${jsonAggregate(['o."customerId"', epochMs('o."processedAt"'), 'CAST(o."totalCents" AS TEXT)'])} AS rows
       FROM "Customer" c
       JOIN "Order" o ON o."shop" = c."shop" AND o."customerId" = c."id"
         AND o."cancelledAt" IS NULL AND o."test" = false AND o."processedAt" <= ?
       WHERE c."shop" = ? AND c."id" > ? ${bound ? 'AND c."id" <= ?' : ""}`,
      bound ? [asOf, shop, after, bound.id] : [asOf, shop, after],
    );
    for (const [customerId, at, cents] of rows) {
      const id = customerId as string;
      let list = purchases.get(id);
      if (!list) purchases.set(id, (list = []));
      list.push({ at: new Date(Number(at)), value: Number(cents) });
    }
    if (!bound) return purchases;
    after = bound.id;
  }
}

const PREDICTION_COLUMNS: [name: string, type: "text" | "int" | "float" | "timestamp"][] = [
  ["customerId", "text"],
  ["method", "text"],
  ["frequency", "int"],
  ["recencyDays", "int"],
  ["ageDays", "int"],
  ["monetaryCents", "float"],
  ["averageValueCents", "float"],
  ["expectedOrders30d", "float"],
  ["expectedOrders90d", "float"],
  ["expectedOrders365d", "float"],
  ["pAlive", "float"],
  ["expectedOrderValueCents", "float"],
  ["predictedSpend365dCents", "float"],
  ["daysOverdue", "float"],
  ["lastOrderAt", "timestamp"],
];

const predictionCells = (p: StoredPrediction) => [
  p.customerId,
  p.method,
  p.frequency,
  p.recency,
  p.T,
  p.monetary,
  p.averageValue,
  p.expectedOrders30d,
  p.expectedOrders90d,
  p.expectedOrders365d,
  p.pAlive,
  p.expectedOrderValue,
  p.predictedSpend365d,
  p.daysOverdue,
  p.lastOrderAt,
];

/**
 * Replaces the shop's predictions with a refresh's, in one transaction (one refresh of a shop
 * at a time). Customers deleted since the purchases were read get none.
 */
export async function storePredictionRun(shop: string, run: PredictionRun, fittedAt: Date) {
  await exclusiveTransaction(`predictions:${shop}`, async (db) => {
    await execute(db, `DELETE FROM "CustomerPrediction" WHERE "shop" = ?`, [shop]);
    const names = PREDICTION_COLUMNS.map(([name]) => `"${name}"`).join(", ");
    for (const batch of chunks(run.predictions, PREDICTIONS_PER_INSERT)) {
      await nextTurn();
      await execute(
        db,
        `INSERT INTO "CustomerPrediction" ("shop", ${names})
         SELECT ${typed("text")}, ${PREDICTION_COLUMNS.map(([name]) => `v."${name}"`).join(", ")}
         FROM (${jsonRows(PREDICTION_COLUMNS)}) v
         WHERE EXISTS (SELECT 1 FROM "Customer" c WHERE c."shop" = ${typed("text")} AND c."id" = v."customerId")`,
        [shop, jsonRowsParameter(batch.map(predictionCells)), shop],
      );
    }
    await execute(
      db,
      `INSERT INTO "PredictionFit" ("shop", "asOf", "fittedAt", "timeZone", "method", "reasons",
         "fits", "backtest", "customers", "typicalIntervalDays", "returningShare")
       VALUES (${typed("text")}, ${typed("timestamp")}, ${typed("timestamp")}, ${typed("text")}, ${typed("text")},
         ${typed("text")}, ${typed("text")}, ${typed("text")}, ${typed("int")}, ?, ?)
       ON CONFLICT ("shop") DO UPDATE SET "asOf" = excluded."asOf", "fittedAt" = excluded."fittedAt",
         "timeZone" = excluded."timeZone", "method" = excluded."method", "reasons" = excluded."reasons",
         "fits" = excluded."fits", "backtest" = excluded."backtest", "customers" = excluded."customers",
         "typicalIntervalDays" = excluded."typicalIntervalDays", "returningShare" = excluded."returningShare"`,
      [
        shop,
        run.asOf,
        fittedAt,
        run.timeZone,
        run.method,
        JSON.stringify(run.reasons),
        JSON.stringify(run.fits),
        JSON.stringify(run.backtest),
        run.predictions.length,
        run.typicalIntervalDays,
        run.returningShare,
      ],
    );
  });
}

/** A shop's latest refresh as stored (the backtest's dates read back as dates). */
export interface StoredFit {
  asOf: Date;
  fittedAt: Date;
  timeZone: string;
  method: "model" | "heuristic";
  reasons: string[];
  fits: ModelFits;
  backtest: BacktestReport;
  customers: number;
  typicalIntervalDays: number | null;
  returningShare: number;
}

export async function loadPredictionFit(shop: string): Promise<StoredFit | null> {
  const row = await prisma.predictionFit.findUnique({ where: { shop } });
  if (!row) return null;
  const backtest = JSON.parse(row.backtest) as BacktestReport;
  return {
    asOf: row.asOf,
    fittedAt: row.fittedAt,
    timeZone: row.timeZone,
    method: row.method === "model" ? "model" : "heuristic",
    reasons: JSON.parse(row.reasons) as string[],
    fits: JSON.parse(row.fits) as ModelFits,
    backtest: {
      ...backtest,
      calibrationEnd: new Date(backtest.calibrationEnd),
      asOf: new Date(backtest.asOf),
    },
    customers: row.customers,
    typicalIntervalDays: row.typicalIntervalDays,
    returningShare: row.returningShare,
  };
}

/** One customer's stored predictions, or null without one. */
export async function loadCustomerPrediction(
  shop: string,
  customerId: string,
): Promise<StoredPrediction | null> {
  const row = await prisma.customerPrediction.findUnique({
    where: { shop_customerId: { shop, customerId } },
  });
  if (!row) return null;
  return {
    customerId: row.customerId,
    method: row.method === "model" ? "model" : "heuristic",
    frequency: row.frequency,
    recency: row.recencyDays,
    T: row.ageDays,
    monetary: row.monetaryCents,
    averageValue: row.averageValueCents,
    expectedOrders30d: row.expectedOrders30d,
    expectedOrders90d: row.expectedOrders90d,
    expectedOrders365d: row.expectedOrders365d,
    pAlive: row.pAlive,
    expectedOrderValue: row.expectedOrderValueCents,
    predictedSpend365d: row.predictedSpend365dCents,
    daysOverdue: row.daysOverdue,
    lastOrderAt: row.lastOrderAt,
  };
}

/** Installed shops whose predictions were not refreshed as of `since` (never, or before it). */
export async function shopsWithPredictionsBefore(since: Date, shop?: string) {
  const [shops, fits] = await Promise.all([
    prisma.shop.findMany({
      where: { uninstalledAt: null, ...(shop ? { domain: shop } : {}) },
      select: { domain: true },
    }),
    prisma.predictionFit.findMany({
      where: { asOf: { gte: since }, ...(shop ? { shop } : {}) },
      select: { shop: true },
    }),
  ]);
  const fresh = new Set(fits.map((fit) => fit.shop));
  return shops.map((row) => row.domain).filter((domain) => !fresh.has(domain));
}

/** The shop's predictions summed: customers predicted, orders in 90 days, spend in 365 days. */
export async function predictionTotals(shop: string) {
  const totals = await prisma.customerPrediction.aggregate({
    where: { shop },
    _count: { _all: true },
    _sum: { expectedOrders90d: true, predictedSpend365dCents: true },
  });
  return {
    customers: totals._count._all,
    expectedOrders90d: totals._sum.expectedOrders90d ?? 0,
    predictedSpend365dCents: totals._sum.predictedSpend365dCents ?? 0,
  };
}

/**
 * Customers' counted-order aggregates and RFM scores. Bulk statements only (rows crossing as one
 * JSON value, one GROUP BY over orders), so a full recompute costs a few dozen round trips, not
 * one per customer. The recompute functions take the `RawDb` they run on: a recompute runs them
 * in one `rawTransaction`, on the driver itself, because Prisma's query compiler is slow for
 * megabyte-sized JSON.
 */
import prisma, { type RawDb } from "~/db.server";
import type { OrderAggregate } from "~/domain/segments/rfm";
import type { ScoreUpdate, StoredScore } from "~/domain/segments/score-changes";
import {
  chunks,
  epochMs,
  execute,
  JSON_BATCH,
  jsonAggregate,
  jsonRows,
  jsonRowsParameter,
  query,
  queryJsonRows,
  typed,
} from "./bulk-sql.server";
import { fromEpoch, toBigInt, toNullableNumber, toNumber } from "./raw-results.server";

export interface CustomerAggregateRow {
  id: string;
  /** Counted orders at as-of, straight from the Order table. */
  aggregate: OrderAggregate;
  /** What the last recompute stored, to write only what changed. */
  stored: StoredScore;
}

interface AggregateSqlRow {
  id: string;
  n: unknown;
  spent: unknown;
  discounted: unknown;
  first: unknown;
  last: unknown;
  s_orders: unknown;
  s_spent: unknown;
  s_discounted: unknown;
  s_first: unknown;
  s_last: unknown;
  r: unknown;
  f: unknown;
  m: unknown;
  rfmGroup: string;
}

function aggregateRow(row: AggregateSqlRow): CustomerAggregateRow {
  const orders = toNumber(row.n);
  return {
    id: row.id,
    aggregate: {
      orders,
      spentCents: toBigInt(row.spent),
      discountOrders: toNumber(row.discounted),
      firstOrderAt: orders ? fromEpoch(row.first) : null,
      lastOrderAt: orders ? fromEpoch(row.last) : null,
    },
    stored: {
      orders: toNumber(row.s_orders),
      spentCents: toBigInt(row.s_spent),
      discountOrders: toNumber(row.s_discounted),
      firstOrderAt: fromEpoch(row.s_first),
      lastOrderAt: fromEpoch(row.s_last),
      r: toNullableNumber(row.r),
      f: toNullableNumber(row.f),
      m: toNullableNumber(row.m),
      rfmGroup: row.rfmGroup,
    },
  };
}

/**
 * Every customer of the shop (or only `customerIds`) with counted-order aggregates at as-of,
 * computed by the database in one GROUP BY, next to the values stored last time.
 */
export async function loadCustomerAggregates(
  db: RawDb,
  shop: string,
  asOf: Date,
  customerIds?: string[],
): Promise<CustomerAggregateRow[]> {
  const select = async (ids: string[] | null) => {
    // Customers joined to their counted orders and grouped by customer: every plan of that is
    // one lookup of the covering (shop, customerId, …) Order index per customer, or a merge;
    // joining customers to a grouped subquery let PostgreSQL without statistics rescan the
    // subquery per customer.
    const sql = `
      SELECT ${jsonAggregate([
        "a.id",
        "a.n",
        "a.spent",
        "a.discounted",
        epochMs("a.first"),
        epochMs("a.last"),
        "a.orders",
        "CAST(a.stored_spent AS TEXT)",
        "a.stored_discounted",
        epochMs("a.stored_first"),
        epochMs("a.stored_last"),
        "a.r",
        "a.f",
        "a.m",
        "a.grp",
      ])} AS rows
      FROM (
        SELECT c."id" AS id, COUNT(o."customerId") AS n, CAST(SUM(o."totalCents") AS TEXT) AS spent,
          SUM(CASE WHEN o."discountCodes" <> '' THEN 1 ELSE 0 END) AS discounted,
          MIN(o."processedAt") AS first, MAX(o."processedAt") AS last,
          c."orders" AS orders, c."spentCents" AS stored_spent, c."discountOrders" AS stored_discounted,
          c."firstOrderAt" AS stored_first, c."lastOrderAt" AS stored_last,
          c."r" AS r, c."f" AS f, c."m" AS m, c."rfmGroup" AS grp
        FROM "Customer" c
        LEFT JOIN "Order" o ON o."shop" = c."shop" AND o."customerId" = c."id"
          AND o."cancelledAt" IS NULL AND o."test" = false AND o."processedAt" <= ?
        WHERE c."shop" = ? ${ids ? `AND c."id" IN (${ids.map(() => "?").join(", ")})` : ""}
        GROUP BY c."shop", c."id"
      ) a`;
    const params = ids ? [asOf, shop, ...ids] : [asOf, shop];
    const rows = await queryJsonRows(db, sql, params);
    return rows.map(
      ([
        id,
        n,
        spent,
        discounted,
        first,
        last,
        sOrders,
        sSpent,
        sDiscounted,
        sFirst,
        sLast,
        r,
        f,
        m,
        group,
      ]) =>
        aggregateRow({
          id: id as string,
          n,
          spent,
          discounted,
          first,
          last,
          s_orders: sOrders,
          s_spent: sSpent,
          s_discounted: sDiscounted,
          s_first: sFirst,
          s_last: sLast,
          r,
          f,
          m,
          rfmGroup: group as string,
        }),
    );
  };
  if (!customerIds) return select(null);
  const rows: CustomerAggregateRow[] = [];
  for (const ids of chunks(customerIds, 200)) rows.push(...(await select(ids)));
  return rows;
}

/** Writes aggregates and scores: one upsert from JSON rows per JSON_BATCH customers. */
export async function writeCustomerScores(
  db: RawDb,
  shop: string,
  updates: ScoreUpdate[],
  scoredAt: Date,
) {
  const source = jsonRows([
    ["id", "text"],
    ["orders", "int"],
    ["spent", "bigint"],
    ["discounted", "int"],
    ["first", "timestamp"],
    ["last", "timestamp"],
    ["r", "int"],
    ["f", "int"],
    ["m", "int"],
    ["grp", "text"],
  ]);
  for (const batch of chunks(updates, JSON_BATCH)) {
    const rows = batch.map((u) => [
      u.id,
      u.orders,
      u.spentCents,
      u.discountOrders,
      u.firstOrderAt,
      u.lastOrderAt,
      u.r,
      u.f,
      u.m,
      u.rfmGroup,
    ]);
    // An upsert driven by the JSON rows: each row finds its customer through the primary key
    // (an UPDATE … FROM a JSON table makes SQLite scan that table per customer). The EXISTS
    // filter means only existing customers are touched; the inserted columns never apply.
    await execute(
      db,
      `INSERT INTO "Customer" ("shop", "id", "createdAt", "updatedAt", "syncedAt", "orders", "spentCents",
         "discountOrders", "firstOrderAt", "lastOrderAt", "r", "f", "m", "rfmGroup", "scoredAt")
       SELECT ${typed("text")}, v.id, ${typed("timestamp")}, ${typed("timestamp")}, ${typed("timestamp")}, v.orders, v.spent,
         v.discounted, v.first, v.last, v.r, v.f, v.m, v.grp, ${typed("timestamp")}
       FROM (${source}) v
       WHERE EXISTS (SELECT 1 FROM "Customer" e WHERE e."shop" = ${typed("text")} AND e."id" = v.id)
       ON CONFLICT ("shop", "id") DO UPDATE SET "orders" = excluded."orders", "spentCents" = excluded."spentCents",
         "discountOrders" = excluded."discountOrders", "firstOrderAt" = excluded."firstOrderAt",
         "lastOrderAt" = excluded."lastOrderAt", "r" = excluded."r",
         "f" = excluded."f", "m" = excluded."m", "rfmGroup" = excluded."rfmGroup", "scoredAt" = excluded."scoredAt"`,
      [shop, scoredAt, scoredAt, scoredAt, scoredAt, jsonRowsParameter(rows), shop],
    );
  }
}

/** The scoring inputs of every buyer, for the in-memory RFM population. */
export async function loadBuyerInputs(db: RawDb, shop: string) {
  const rows = await queryJsonRows(
    db,
    `SELECT ${jsonAggregate(['"orders"', 'CAST("spentCents" AS TEXT)', epochMs('"lastOrderAt"')])} AS rows
     FROM "Customer" WHERE "shop" = ? AND "orders" > 0 AND "lastOrderAt" IS NOT NULL`,
    [shop],
  );
  return rows.map(([orders, spent, last]) => ({
    orders: toNumber(orders),
    spentCents: toBigInt(spent),
    lastOrderAt: fromEpoch(last) as Date,
  }));
}

/** R × FM grid counts for the RFM chart: how many buyers have each (R, F, M). */
export async function loadRfmGrid(shop: string) {
  const rows = await query<{ r: unknown; f: unknown; m: unknown; n: unknown }>(
    prisma,
    `SELECT "r" AS r, "f" AS f, "m" AS m, COUNT(*) AS n FROM "Customer"
     WHERE "shop" = ? AND "r" IS NOT NULL GROUP BY "r", "f", "m"`,
    [shop],
  );
  return rows.map((row) => ({
    r: toNumber(row.r),
    f: toNumber(row.f),
    m: toNumber(row.m),
    count: toNumber(row.n),
  }));
}

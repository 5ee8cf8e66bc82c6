/**
 * Segment performance per period: the replay's inputs (customers, counted orders) read in bulk,
 * and the per-period rows it writes (SegmentPeriodStat) read back for pages and exports.
 */
import prisma, { concurrentReader, rawTransaction } from "~/db.server";
import type { PeriodStat, ReplayCustomer } from "~/domain/segments/performance";
import { type Grain, GRAINS } from "~/domain/segments/periods";
import { mergeSorted, type ReplayOrder } from "~/domain/segments/replay-shop";
import {
  chunks,
  epochMs,
  execute,
  inJsonList,
  JSON_BATCH,
  jsonAggregate,
  jsonRows,
  jsonRowsParameter,
  query,
  queryJsonRows,
  typed,
} from "./bulk-sql.server";

/**
 * Customers per orders statement: their orders (some 8,000) cross as one JSON value of about
 * half a MB, which the app's event loop takes in a few milliseconds.
 */
const CUSTOMERS_PER_READ = 2_000;

/** Customers per page: their rows arrive in order of id, so the next page starts after the last. */
const CUSTOMERS_PER_PAGE = 20_000;

/** The shop's customers by createdAt, read a page at a time (each sorted, then merged in). */
async function readCustomers(shop: string) {
  let customers: ReplayCustomer[] = [];
  let rows: { id: string; createdAt: number | string }[] = [];
  do {
    rows = await query(
      concurrentReader,
      `SELECT c."id", ${epochMs('c."createdAt"')} AS "createdAt" FROM "Customer" c
       WHERE c."shop" = ? AND c."id" > ? ORDER BY c."id" LIMIT ${CUSTOMERS_PER_PAGE}`,
      [shop, rows.at(-1)?.id ?? ""],
    );
    const page = rows
      .map((row) => ({ id: String(row.id), createdAt: Number(row.createdAt) }))
      .sort((a, b) => a.createdAt - b.createdAt);
    customers = mergeSorted(customers, page, (customer) => customer.createdAt);
  } while (rows.length === CUSTOMERS_PER_PAGE);
  return customers;
}

/**
 * The shop's customers (by createdAt) and their counted orders up to `until` (by processedAt):
 * orders of customers no longer in the table are left out, as the recompute leaves them out.
 * Read on the concurrent reader (with SQLite, on its own thread) so that the app's other work
 * goes on between the statements; each batch is sorted alone and merged in, never all at once.
 */
export async function loadReplayInputs(shop: string, until: Date) {
  const customers = await readCustomers(shop);
  // The orders share their customer's id string: a few hundred thousand copies fewer to keep.
  const idOf = new Map(customers.map((customer) => [customer.id, customer.id]));
  let orders: ReplayOrder[] = [];
  for (const batch of chunks(customers, CUSTOMERS_PER_READ)) {
    const rows = await queryJsonRows(
      concurrentReader,
      `SELECT ${jsonAggregate([
        'o."customerId"',
        epochMs('o."processedAt"'),
        'CAST(o."totalCents" AS TEXT)',
        `CASE WHEN o."discountCodes" <> '' THEN 1 ELSE 0 END`,
      ])} AS rows
       FROM "Order" o
       WHERE o."shop" = ? AND o."customerId" ${inJsonList()} AND o."cancelledAt" IS NULL
         AND o."test" = false AND o."processedAt" <= ?`,
      [shop, JSON.stringify(batch.map((customer) => customer.id)), until],
    );
    const read = rows
      .map(([customerId, at, total, discounted]) => ({
        customerId: idOf.get(String(customerId)) ?? String(customerId),
        at: Number(at),
        totalCents: BigInt(String(total).split(".")[0]),
        usedDiscountCode: Number(discounted) === 1,
      }))
      .sort((a, b) => a.at - b.at);
    orders = mergeSorted(orders, read, (order) => order.at);
  }
  return { customers, orders };
}

/** The shop's rows that exist, as "grain:start:segmentId". */
export async function storedPeriods(shop: string) {
  const rows = await prisma.segmentPeriodStat.findMany({
    where: { shop },
    select: { grain: true, start: true, segmentId: true },
  });
  return new Set(rows.map((row) => `${row.grain}:${row.start}:${row.segmentId}`));
}

/**
 * Replaces the rows of the periods in `stats`, and drops rows of periods no longer kept: in one
 * transaction on the driver, the rows crossing as one JSON value (through Prisma, a year's
 * rows took seconds of the app's event loop).
 */
export async function writePeriodStats(
  shop: string,
  stats: PeriodStat[],
  kept: { grain: Grain; start: string }[],
  computedAt: Date,
) {
  const keptStarts = (grain: Grain) => kept.filter((p) => p.grain === grain).map((p) => p.start);
  const written = [...new Set(stats.map((stat) => `${stat.grain}:${stat.start}`))].map((key) =>
    key.split(":"),
  );
  await rawTransaction(async (db) => {
    for (const grain of GRAINS)
      await execute(
        db,
        `DELETE FROM "SegmentPeriodStat" WHERE "shop" = ? AND "grain" = ? AND "start" NOT ${inJsonList()}`,
        [shop, grain, JSON.stringify(keptStarts(grain))],
      );
    await execute(
      db,
      `DELETE FROM "SegmentPeriodStat" WHERE "shop" = ? AND ("grain", "start") IN (
         SELECT v."grain", v."start" FROM (${jsonRows([
           ["grain", "text"],
           ["start", "text"],
         ])}) v)`,
      [shop, JSON.stringify(written)],
    );
    for (const batch of chunks(stats, JSON_BATCH))
      await execute(
        db,
        `INSERT INTO "SegmentPeriodStat" ("shop", "segmentId", "grain", "start", "members", "cohort",
           "buyers", "repeatBuyers", "orders", "revenueCents", "entered", "left", "computedAt")
         SELECT ${typed("text")}, v."segmentId", v."grain", v."start", v."members", v."cohort",
           v."buyers", v."repeatBuyers", v."orders", v."revenueCents", v."entered", v."left", ${typed("timestamp")}
         FROM (${jsonRows([
           ["segmentId", "text"],
           ["grain", "text"],
           ["start", "text"],
           ["members", "int"],
           ["cohort", "int"],
           ["buyers", "int"],
           ["repeatBuyers", "int"],
           ["orders", "int"],
           ["revenueCents", "bigint"],
           ["entered", "int"],
           ["left", "int"],
         ])}) v`,
        [
          shop,
          computedAt,
          jsonRowsParameter(
            batch.map((stat) => [
              stat.segmentId,
              stat.grain,
              stat.start,
              stat.members,
              stat.cohort,
              stat.buyers,
              stat.repeatBuyers,
              stat.orders,
              stat.revenueCents,
              stat.entered,
              stat.left,
            ]),
          ),
        ],
      );
  });
}

/** A grain's rows from `fromStart` on, oldest first (all segments, or one). */
export function loadPeriodStats(shop: string, grain: Grain, fromStart: string, segmentId?: string) {
  return prisma.segmentPeriodStat.findMany({
    where: { shop, grain, start: { gte: fromStart }, ...(segmentId ? { segmentId } : {}) },
    orderBy: [{ start: "asc" }, { segmentId: "asc" }],
  });
}

/**
 * Storage for segments: customer aggregates and scores, segment definitions, memberships, their
 * history and daily sizes. Bulk statements only (rows crossing as one JSON value, one GROUP BY
 * over orders), so a full recompute costs a few dozen round trips, not one per customer. The
 * recompute functions take the `RawDb` they run on: a recompute runs them in one `rawTransaction`,
 * on the driver itself, because Prisma's query compiler is slow for megabyte-sized JSON. SQL is
 * written once for SQLite and PostgreSQL; `?` placeholders are numbered for PostgreSQL here.
 */
import prisma, { concurrentReader, type RawDb } from "~/db.server";
import type { BuiltInSegment } from "~/domain/segments/catalog";
import type { MemberSortKey } from "~/domain/segments/member-list";
import type { OrderAggregate } from "~/domain/segments/rfm";
import { evaluateIsolating, type Evaluation } from "~/domain/segments/rule-evaluation";
import {
  BATCH,
  chunks,
  epochMs,
  execute,
  inJsonList,
  JSON_BATCH,
  jsonAggregate,
  jsonRows,
  jsonRowsParameter,
  postgres,
  query,
  queryJsonRows,
  typed,
} from "./bulk-sql.server";

const toDate = (value: unknown) =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value
      : new Date(String(value));
const fromEpoch = (value: unknown) =>
  value === null || value === undefined ? null : new Date(Number(value));
const toBigInt = (value: unknown) =>
  value === null || value === undefined ? 0n : BigInt(String(value).split(".")[0]);
const toNumber = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
const toNullableNumber = (value: unknown) =>
  value === null || value === undefined ? null : Number(value);

// ---------------------------------------------------------------------------------------------
// Customer aggregates and scores

export interface StoredScore {
  orders: number;
  spentCents: bigint;
  discountOrders: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmGroup: string;
}

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

export interface ScoreUpdate extends StoredScore {
  id: string;
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

// ---------------------------------------------------------------------------------------------
// Segment definitions

export interface SegmentRow {
  id: string;
  shop: string;
  handle: string;
  name: string;
  kind: string;
  description: string;
  rule: string | null;
  tagEnabled: boolean;
  shopifySegmentId: string | null;
  memberCount: number;
  evaluationError: string | null;
  evaluationFailedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Creates missing built-in segments and refreshes their descriptions (thresholds may change). */
export async function ensureBuiltInSegments(shop: string, builtIns: BuiltInSegment[]) {
  const existing = await prisma.segment.findMany({
    where: { shop },
    select: { handle: true, description: true, kind: true },
  });
  const byHandle = new Map(existing.map((segment) => [segment.handle, segment]));
  const missing = builtIns.filter((segment) => !byHandle.has(segment.handle));
  if (missing.length > 0)
    await prisma.segment.createMany({
      data: missing.map((segment) => ({ shop, ...segment })),
    });
  for (const segment of builtIns) {
    const current = byHandle.get(segment.handle);
    if (current && current.kind === segment.kind && current.description !== segment.description)
      await prisma.segment.updateMany({
        where: { shop, handle: segment.handle },
        data: { description: segment.description },
      });
  }
}

export async function listSegments(shop: string): Promise<SegmentRow[]> {
  return prisma.segment.findMany({
    where: { shop },
    orderBy: [{ createdAt: "asc" }, { handle: "asc" }],
  });
}

export async function findSegment(shop: string, handle: string): Promise<SegmentRow | null> {
  return prisma.segment.findUnique({ where: { shop_handle: { shop, handle } } });
}

export async function createCustomSegment(
  shop: string,
  data: { handle: string; name: string; description: string; rule: string },
) {
  return prisma.segment.create({ data: { shop, kind: "custom", ...data } });
}

export async function updateCustomSegment(
  shop: string,
  handle: string,
  data: { name: string; description: string; rule: string },
) {
  const { count } = await prisma.segment.updateMany({
    where: { shop, handle, kind: "custom" },
    data,
  });
  return count > 0;
}

/** Deletes a custom segment with its members, history and daily sizes. */
export async function deleteCustomSegment(shop: string, handle: string) {
  const segment = await prisma.segment.findFirst({ where: { shop, handle, kind: "custom" } });
  if (!segment) return false;
  await prisma.$transaction([
    prisma.segmentMember.deleteMany({ where: { segmentId: segment.id } }),
    prisma.segmentEvent.deleteMany({ where: { segmentId: segment.id } }),
    prisma.segmentDailyStat.deleteMany({ where: { segmentId: segment.id } }),
    prisma.segment.delete({ where: { id: segment.id } }),
  ]);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Rule evaluation

/**
 * For each compiled rule predicate, the ids of the shop's customers matching it (optionally only
 * among `within`), or the error it failed with. One pass over the customers with one JSON
 * aggregate per rule (FILTER), so the customer table is read once however many rules there are,
 * and a customer's recompute is one round trip, not one per rule. A statement that fails is
 * retried rule by rule, so one rule the database refuses fails alone. `within` is bound as id
 * lists: the primary key is the way in.
 */
export async function customersMatching(
  db: RawDb,
  shop: string,
  predicates: { sql: string; params: unknown[] }[],
  within?: string[],
): Promise<Evaluation<Set<string>>[]> {
  if (predicates.length === 0 || within?.length === 0)
    return predicates.map(() => ({ ok: true, value: new Set<string>() }));
  const results: Evaluation<Set<string>>[] = [];
  for (const group of byParameterBudget(predicates))
    results.push(
      ...(await evaluateIsolating(group, (rules) =>
        withSavepoint(db, () => evaluateTogether(db, shop, rules, within)),
      )),
    );
  return results;
}

async function evaluateTogether(
  db: RawDb,
  shop: string,
  predicates: { sql: string; params: unknown[] }[],
  within?: string[],
) {
  const matches = predicates.map(() => new Set<string>());
  const lists = predicates.map((predicate, index) =>
    postgres
      ? `COALESCE(CAST(json_agg(c."id") FILTER (WHERE ${predicate.sql}) AS TEXT), '[]') AS m${index}`
      : `json_group_array(c."id") FILTER (WHERE ${predicate.sql}) AS m${index}`,
  );
  const predicateParams = predicates.flatMap((predicate) => predicate.params);
  for (const ids of within ? chunks(within) : [[]]) {
    const [row] = await query<Record<string, string>>(
      db,
      `SELECT ${lists.join(", ")} FROM "Customer" c WHERE c."shop" = ?` +
        (within ? ` AND c."id" IN (${ids.map(() => "?").join(", ")})` : ""),
      [...predicateParams, shop, ...ids],
    );
    matches.forEach((members, index) => {
      for (const id of JSON.parse(row?.[`m${index}`] ?? "[]") as string[]) members.add(id);
    });
  }
  return matches;
}

/**
 * Inside a transaction, a failed statement is undone to a savepoint: PostgreSQL refuses every
 * later statement of a transaction in which one failed.
 */
async function withSavepoint<T>(db: RawDb, work: () => Promise<T>) {
  if (!db.inTransaction) return work();
  await db.$executeRawUnsafe("SAVEPOINT rule_evaluation");
  try {
    const result = await work();
    await db.$executeRawUnsafe("RELEASE SAVEPOINT rule_evaluation");
    return result;
  } catch (error) {
    await db.$executeRawUnsafe("ROLLBACK TO SAVEPOINT rule_evaluation");
    await db.$executeRawUnsafe("RELEASE SAVEPOINT rule_evaluation");
    throw error;
  }
}

/** Bound values per rule statement, under SQLite's 32,766 with room for a chunk of ids. */
const RULE_STATEMENT_PARAMS = 30_000 - BATCH;

/** The predicates in consecutive groups (in order) whose parameters fit one statement. */
function byParameterBudget<P extends { params: unknown[] }>(predicates: P[]) {
  const groups: P[][] = [[]];
  let size = 0;
  for (const predicate of predicates) {
    if (groups.at(-1)!.length > 0 && size + predicate.params.length > RULE_STATEMENT_PARAMS) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(predicate);
    size += predicate.params.length;
  }
  return groups;
}

/**
 * Records how each custom segment's rule fared: `failed` (segment id → the merchant's message)
 * keep the time of their first failure; segments evaluated again lose their error.
 */
export async function recordRuleEvaluations(
  db: RawDb,
  shop: string,
  outcome: { evaluated: string[]; failed: Map<string, string> },
  at: Date,
) {
  for (const ids of chunks(outcome.evaluated))
    await execute(
      db,
      `UPDATE "Segment" SET "evaluationError" = NULL, "evaluationFailedAt" = NULL
       WHERE "shop" = ? AND "evaluationError" IS NOT NULL AND "id" IN (${ids.map(() => "?").join(", ")})`,
      [shop, ...ids],
    );
  for (const [id, message] of outcome.failed)
    await execute(
      db,
      `UPDATE "Segment" SET "evaluationError" = ?,
         "evaluationFailedAt" = COALESCE("evaluationFailedAt", ${typed("timestamp")})
       WHERE "shop" = ? AND "id" = ?`,
      [message, at, shop, id],
    );
}

/** A preview count the database cancelled at its time bound. */
export class PreviewTimeoutError extends Error {}

/**
 * How many of the shop's customers a predicate selects, and of how many, in one statement.
 * PostgreSQL cancels it after `timeoutMs` (SET LOCAL lasts until its transaction ends). SQLite has
 * no statement timeout and its driver no interrupt: the count runs on the reader thread instead,
 * so however long it takes, the event loop that acknowledges webhooks is never blocked by it.
 */
export async function countForPreview(
  shop: string,
  predicate: { sql: string; params: unknown[] },
  timeoutMs: number,
) {
  const sql = `SELECT COUNT(*) FILTER (WHERE ${predicate.sql}) AS n, COUNT(*) AS total FROM "Customer" c WHERE c."shop" = ?`;
  const params = [...predicate.params, shop];
  let rows: { n: unknown; total: unknown }[];
  if (!postgres) rows = await query(concurrentReader, sql, params);
  else
    try {
      rows = await prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
          return query<{ n: unknown; total: unknown }>(tx, sql, params);
        },
        { timeout: timeoutMs + 5_000 },
      );
    } catch (error) {
      // 57014 query_canceled, which Prisma passes on in its message.
      if (/statement timeout|57014/.test(String(error))) throw new PreviewTimeoutError();
      throw error;
    }
  return { count: toNumber(rows[0]?.n), total: toNumber(rows[0]?.total) };
}

// ---------------------------------------------------------------------------------------------
// Memberships and history

/**
 * Current members of the given segments, as segment id -> customer ids: all of them, or only
 * those among `customerIds`.
 */
export async function loadMemberships(
  db: RawDb,
  shop: string,
  segmentIds: string[],
  customerIds?: string[],
) {
  const members = new Map<string, string[]>(segmentIds.map((id) => [id, []]));
  if (segmentIds.length === 0 || customerIds?.length === 0) return members;
  const list = (ids: string[]) => ids.map(() => "?").join(", ");
  const aggregate = postgres
    ? `CAST(json_agg("customerId") AS TEXT)`
    : `json_group_array("customerId")`;
  // Bound id lists (not one JSON parameter) let both planners see how few values there are.
  // The whole shop is read along the (segmentId, customerId) primary key: no sort, no table
  // lookups, and one id list per segment keeps the JSON about half as long as pairs would.
  const batches = customerIds
    ? chunks(customerIds).map((ids) => ({
        sql: `"shop" = ? AND "customerId" IN (${list(ids)}) AND "segmentId" IN (${list(segmentIds)})`,
        params: [shop, ...ids, ...segmentIds],
      }))
    : [{ sql: `"segmentId" IN (${list(segmentIds)})`, params: segmentIds }];
  for (const batch of batches) {
    const rows = await query<{ segmentId: string; ids: string }>(
      db,
      `SELECT "segmentId" AS "segmentId", ${aggregate} AS ids FROM "SegmentMember"
       WHERE ${batch.sql} GROUP BY "segmentId"`,
      batch.params,
    );
    for (const row of rows) {
      const ids = JSON.parse(row.ids) as string[];
      const list = members.get(row.segmentId);
      if (list?.length === 0) members.set(row.segmentId, ids);
      else for (const id of ids) list?.push(id);
    }
  }
  return members;
}

export interface MembershipChange {
  segmentId: string;
  entered: string[];
  left: string[];
}

/** Applies entries and exits and records each as a SegmentEvent at `at`. */
export async function applyMembershipChanges(
  db: RawDb,
  shop: string,
  changes: MembershipChange[],
  at: Date,
) {
  const entered = changes.flatMap((change) =>
    change.entered.map((customerId) => [change.segmentId, customerId]),
  );
  const left = changes.flatMap((change) =>
    change.left.map((customerId) => [change.segmentId, customerId]),
  );
  const pairs = jsonRows([
    ["segmentId", "text"],
    ["customerId", "text"],
  ]);
  for (const batch of chunks(entered, JSON_BATCH))
    await execute(
      db,
      // "WHERE true" lets SQLite parse ON CONFLICT after INSERT … SELECT.
      `INSERT INTO "SegmentMember" ("shop", "segmentId", "customerId", "enteredAt")
       SELECT ${typed("text")}, v."segmentId", v."customerId", ${typed("timestamp")} FROM (${pairs}) v WHERE true
       ON CONFLICT DO NOTHING`,
      [shop, at, JSON.stringify(batch)],
    );
  for (const batch of chunks(left, JSON_BATCH))
    await execute(
      db,
      `DELETE FROM "SegmentMember" WHERE ("segmentId", "customerId") IN (SELECT v."segmentId", v."customerId" FROM (${pairs}) v)`,
      [JSON.stringify(batch)],
    );
  const events = [
    ...entered.map(([segmentId, customerId]) => [segmentId, customerId, "entered"]),
    ...left.map(([segmentId, customerId]) => [segmentId, customerId, "left"]),
  ];
  for (const batch of chunks(events, JSON_BATCH))
    await execute(
      db,
      `INSERT INTO "SegmentEvent" ("shop", "segmentId", "customerId", "kind", "at")
       SELECT ${typed("text")}, v."segmentId", v."customerId", v."kind", ${typed("timestamp")}
       FROM (${jsonRows([
         ["segmentId", "text"],
         ["customerId", "text"],
         ["kind", "text"],
       ])}) v`,
      [shop, at, JSON.stringify(batch)],
    );
}

// Named apart from the tables' columns, which the statements reading these rows also touch.
const SIZE_ROWS = jsonRows([
  ["sid", "text"],
  ["size", "int"],
  ["revenue", "bigint"],
]);

type SegmentSize = { segmentId: string; members: number; revenueCents: bigint };

const sizeRows = (sizes: SegmentSize[]) =>
  jsonRowsParameter(sizes.map((size) => [size.segmentId, size.members, size.revenueCents]));

/** Sets memberCount and today's (as-of's UTC day) size and revenue for each segment. */
export async function writeSegmentSizes(
  db: RawDb,
  shop: string,
  sizes: SegmentSize[],
  day: string,
) {
  if (sizes.length === 0) return;
  await execute(
    db,
    `UPDATE "Segment" SET "memberCount" = v."size" FROM (${SIZE_ROWS}) v WHERE "Segment"."id" = v."sid"`,
    [sizeRows(sizes)],
  );
  await execute(
    db,
    `INSERT INTO "SegmentDailyStat" ("shop", "segmentId", "day", "members", "revenueCents")
     SELECT ${typed("text")}, v."sid", ${typed("text")}, v."size", v."revenue" FROM (${SIZE_ROWS}) v WHERE true
     ON CONFLICT ("segmentId", "day") DO UPDATE SET "members" = excluded."members", "revenueCents" = excluded."revenueCents"`,
    [shop, day, sizeRows(sizes)],
  );
}

/** Members and revenue (spend of current members) of the given segments, from the database. */
export async function measureSegments(shop: string, segmentIds: string[], db: RawDb = prisma) {
  if (segmentIds.length === 0) return [];
  const rows = await query<{ segmentId: string; n: unknown; revenue: unknown; orders: unknown }>(
    db,
    `SELECT m."segmentId" AS "segmentId", COUNT(*) AS n, CAST(SUM(c."spentCents") AS TEXT) AS revenue,
            SUM(c."orders") AS orders
     FROM "SegmentMember" m JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
     WHERE m."shop" = ? AND m."segmentId" ${inJsonList()}
     GROUP BY m."segmentId"`,
    [shop, JSON.stringify(segmentIds)],
  );
  const byId = new Map(rows.map((row) => [row.segmentId, row]));
  return segmentIds.map((segmentId) => {
    const row = byId.get(segmentId);
    return {
      segmentId,
      members: toNumber(row?.n),
      revenueCents: toBigInt(row?.revenue),
      orders: toNumber(row?.orders),
    };
  });
}

/** Daily sizes of the shop's segments from `fromDay` (YYYY-MM-DD) on. */
export async function loadDailyStats(shop: string, fromDay: string, segmentId?: string) {
  return prisma.segmentDailyStat.findMany({
    where: { shop, day: { gte: fromDay }, ...(segmentId ? { segmentId } : {}) },
    orderBy: { day: "asc" },
  });
}

/** Membership events since an instant (optionally of one segment), oldest first. */
export async function loadSegmentEvents(
  shop: string,
  since: Date,
  segmentId?: string,
  limit = 50_000,
) {
  return prisma.segmentEvent.findMany({
    where: { shop, at: { gte: since }, ...(segmentId ? { segmentId } : {}) },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take: limit,
  });
}

/** Entries and exits per segment since an instant. */
/** When the shop's memberships last changed (the latest entry or exit), or null. */
export async function lastSegmentChange(shop: string) {
  const latest = await prisma.segmentEvent.aggregate({ where: { shop }, _max: { at: true } });
  return latest._max.at;
}

export async function countSegmentEvents(shop: string, since: Date) {
  const rows = await prisma.segmentEvent.groupBy({
    by: ["segmentId", "kind"],
    where: { shop, at: { gte: since } },
    _count: { _all: true },
  });
  return rows.map((row) => ({ segmentId: row.segmentId, kind: row.kind, count: row._count._all }));
}

// ---------------------------------------------------------------------------------------------
// Members and export

/** The column each member-list sort orders by. */
const MEMBER_SORTS: Record<MemberSortKey, string> = {
  spent: 'c."spentCents"',
  orders: 'c."orders"',
  last_order: 'c."lastOrderAt"',
  r: 'c."r"',
  f: 'c."f"',
  m: 'c."m"',
  entered: 'm."enteredAt"',
};

/** A customer's id and stored scores, as the member list and the export select them (`c`). */
const SCORE_COLUMNS = `c."id" AS id, c."orders" AS orders, CAST(c."spentCents" AS TEXT) AS spent,
  c."lastOrderAt" AS last, c."r" AS r, c."f" AS f, c."m" AS m, c."rfmGroup" AS grp`;

function scoreColumns(row: Record<string, unknown>) {
  return {
    id: String(row.id),
    orders: toNumber(row.orders),
    spentCents: toBigInt(row.spent),
    lastOrderAt: toDate(row.last),
    r: toNullableNumber(row.r),
    f: toNullableNumber(row.f),
    m: toNullableNumber(row.m),
    rfmGroup: String(row.grp),
  };
}

export interface MemberRow {
  id: string;
  orders: number;
  spentCents: bigint;
  lastOrderAt: Date | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmGroup: string;
  shopifyRfmGroup: string | null;
  countryCode: string | null;
  enteredAt: Date;
}

export async function loadSegmentMembers(
  shop: string,
  segmentId: string,
  options: { sort: MemberSortKey; direction: "asc" | "desc"; offset: number; limit: number },
): Promise<MemberRow[]> {
  const direction = options.direction === "asc" ? "ASC" : "DESC";
  const rows = await query<Record<string, unknown>>(
    prisma,
    `SELECT ${SCORE_COLUMNS}, c."shopifyRfmGroup" AS shopify,
            c."countryCode" AS country, m."enteredAt" AS entered
     FROM "SegmentMember" m JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
     WHERE m."shop" = ? AND m."segmentId" = ?
     ORDER BY CASE WHEN ${MEMBER_SORTS[options.sort]} IS NULL THEN 1 ELSE 0 END, ${MEMBER_SORTS[options.sort]} ${direction}, c."id" ASC
     LIMIT ? OFFSET ?`,
    [shop, segmentId, options.limit, options.offset],
  );
  return rows.map((row) => ({
    ...scoreColumns(row),
    shopifyRfmGroup: (row.shopify as string | null) ?? null,
    countryCode: (row.country as string | null) ?? null,
    enteredAt: toDate(row.entered) as Date,
  }));
}

/** Customers ordered by id, after `afterId`, with the handles of their segments. */
export async function loadExportPage(
  shop: string,
  afterId: string,
  limit: number,
  segmentId?: string,
) {
  const customers = await query<Record<string, unknown>>(
    prisma,
    `SELECT ${SCORE_COLUMNS}
     FROM "Customer" c
     WHERE c."shop" = ? AND c."id" > ?${segmentId ? ` AND EXISTS (SELECT 1 FROM "SegmentMember" sm WHERE sm."segmentId" = ? AND sm."customerId" = c."id")` : ""}
     ORDER BY c."id" LIMIT ?`,
    segmentId ? [shop, afterId, segmentId, limit] : [shop, afterId, limit],
  );
  const ids = customers.map((row) => String(row.id));
  const handles = new Map<string, string[]>();
  if (ids.length > 0) {
    const rows = await query<{ customerId: string; handle: string }>(
      prisma,
      `SELECT m."customerId" AS "customerId", s."handle" AS handle
       FROM "SegmentMember" m JOIN "Segment" s ON s."id" = m."segmentId"
       WHERE m."shop" = ? AND m."customerId" IN (${ids.map(() => "?").join(", ")})`,
      [shop, ...ids],
    );
    for (const row of rows) {
      const list = handles.get(row.customerId) ?? [];
      list.push(row.handle);
      handles.set(row.customerId, list);
    }
  }
  return customers.map((row) => ({
    ...scoreColumns(row),
    segments: (handles.get(String(row.id)) ?? []).sort(),
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

/** Shops that are installed, for the daily recompute. */
export async function listInstalledShops() {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null },
    select: { domain: true },
  });
  return shops.map((shop) => shop.domain);
}

/** The most recent day a full recompute wrote sizes for (YYYY-MM-DD), if any. */
export async function latestStatDay(shop: string) {
  const row = await prisma.segmentDailyStat.findFirst({
    where: { shop },
    orderBy: { day: "desc" },
    select: { day: true },
  });
  return row?.day ?? null;
}

/**
 * Applies incremental size changes: memberCount moves by the delta, and today's row follows it.
 * A segment without a row for today gets one measured from the database (once a day).
 */
export async function adjustSegmentSizes(
  db: RawDb,
  shop: string,
  deltas: SegmentSize[],
  day: string,
) {
  if (deltas.length === 0) return;
  await execute(
    db,
    `UPDATE "Segment" SET "memberCount" = "memberCount" + v."size" FROM (${SIZE_ROWS}) v WHERE "Segment"."id" = v."sid"`,
    [sizeRows(deltas)],
  );
  await execute(
    db,
    `UPDATE "SegmentDailyStat" SET "members" = "members" + v."size", "revenueCents" = "revenueCents" + v."revenue"
     FROM (${SIZE_ROWS}) v WHERE "SegmentDailyStat"."segmentId" = v."sid" AND "SegmentDailyStat"."day" = ?`,
    [sizeRows(deltas), day],
  );
  // Memberships are already applied, so the measured rows include this change.
  const missing = await query<{ segmentId: string }>(
    db,
    `SELECT v."sid" AS "segmentId" FROM (${SIZE_ROWS}) v
     WHERE NOT EXISTS (SELECT 1 FROM "SegmentDailyStat" d WHERE d."segmentId" = v."sid" AND d."day" = ?)`,
    [sizeRows(deltas), day],
  );
  if (missing.length > 0)
    await writeSegmentSizes(
      db,
      shop,
      (
        await measureSegments(
          shop,
          missing.map((row) => row.segmentId),
          db,
        )
      ).map(({ segmentId, members, revenueCents }) => ({ segmentId, members, revenueCents })),
      day,
    );
}

/** Whether the shop has been computed at least once (its built-in segments exist). */
export async function hasBuiltInSegments(shop: string) {
  return (await prisma.segment.count({ where: { shop, kind: { not: "custom" } } })) > 0;
}

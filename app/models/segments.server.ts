/**
 * Storage for segments: customer aggregates and scores, segment definitions, memberships, their
 * history and daily sizes. Bulk statements only (INSERT … VALUES batches, UPDATE … FROM a VALUES
 * list, one GROUP BY over orders), so a full recompute costs a few dozen round trips, not one per
 * customer. SQL is written once for SQLite and PostgreSQL; `?` placeholders are numbered for
 * PostgreSQL here.
 */
import prisma from "~/db.server";
import type { BuiltInSegment } from "~/domain/segments/catalog";
import type { OrderAggregate } from "~/domain/segments/rfm";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../../prisma/provider.js";

type Db = Pick<typeof prisma, "$queryRawUnsafe" | "$executeRawUnsafe">;

const postgres =
  databaseProvider(process.env.DATABASE_URL || DEFAULT_DATABASE_URL) === "postgresql";

/** Rows per multi-row statement: 500 rows × up to 12 columns stays under SQLite's 32 766 variables. */
const BATCH = 500;

function numbered(sql: string) {
  if (!postgres) return sql;
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** A typed placeholder: PostgreSQL cannot infer types inside a VALUES list. */
function typed(type: "text" | "int" | "bigint" | "timestamp") {
  if (!postgres) return "?";
  return {
    text: "CAST(? AS TEXT)",
    int: "CAST(? AS INTEGER)",
    bigint: "CAST(? AS BIGINT)",
    timestamp: "CAST(? AS TIMESTAMP(3))",
  }[type];
}

function query<T>(db: Db, sql: string, params: unknown[]) {
  return db.$queryRawUnsafe<T[]>(numbered(sql), ...params);
}

function execute(db: Db, sql: string, params: unknown[]) {
  return db.$executeRawUnsafe(numbered(sql), ...params);
}

function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const toDate = (value: unknown) =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value
      : new Date(String(value));
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
  recencyDays: number | null;
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

const COUNTED_AGGREGATES = `
  SELECT o."customerId" AS cid, COUNT(*) AS n, CAST(SUM(o."totalCents") AS TEXT) AS spent,
         SUM(CASE WHEN o."discountCodes" <> '' THEN 1 ELSE 0 END) AS discounted,
         MIN(o."processedAt") AS first, MAX(o."processedAt") AS last
  FROM "Order" o
  WHERE o."shop" = ? AND o."customerId" IS NOT NULL AND o."cancelledAt" IS NULL
    AND o."test" = false AND o."processedAt" <= ? %CUSTOMERS%
  GROUP BY o."customerId"`;

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
  s_recency: unknown;
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
      firstOrderAt: orders ? toDate(row.first) : null,
      lastOrderAt: orders ? toDate(row.last) : null,
    },
    stored: {
      orders: toNumber(row.s_orders),
      spentCents: toBigInt(row.s_spent),
      discountOrders: toNumber(row.s_discounted),
      firstOrderAt: toDate(row.s_first),
      lastOrderAt: toDate(row.s_last),
      recencyDays: toNullableNumber(row.s_recency),
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
  shop: string,
  asOf: Date,
  customerIds?: string[],
): Promise<CustomerAggregateRow[]> {
  const select = (ids: string[] | null) => {
    const idList = ids ? ids.map(() => "?").join(", ") : "";
    const sql = `
      SELECT c."id" AS id, a.n, a.spent, a.discounted, a.first, a.last,
             c."orders" AS s_orders, CAST(c."spentCents" AS TEXT) AS s_spent,
             c."discountOrders" AS s_discounted, c."firstOrderAt" AS s_first,
             c."lastOrderAt" AS s_last, c."recencyDays" AS s_recency, c."r", c."f", c."m", c."rfmGroup"
      FROM "Customer" c
      LEFT JOIN (${COUNTED_AGGREGATES.replace("%CUSTOMERS%", ids ? `AND o."customerId" IN (${idList})` : "")}) a
        ON a.cid = c."id"
      WHERE c."shop" = ? ${ids ? `AND c."id" IN (${idList})` : ""}`;
    const params = ids ? [shop, asOf, ...ids, shop, ...ids] : [shop, asOf, shop];
    return query<AggregateSqlRow>(prisma, sql, params);
  };
  if (!customerIds) return (await select(null)).map(aggregateRow);
  const rows: CustomerAggregateRow[] = [];
  for (const ids of chunks(customerIds, 200)) rows.push(...(await select(ids)).map(aggregateRow));
  return rows;
}

export interface ScoreUpdate extends StoredScore {
  id: string;
}

/** Writes aggregates and scores, BATCH customers per UPDATE … FROM (VALUES …). */
export async function writeCustomerScores(shop: string, updates: ScoreUpdate[], scoredAt: Date) {
  if (updates.length === 0) return;
  if (updates.length <= BATCH) return writeScoreBatches(prisma, shop, updates, scoredAt);
  await prisma.$transaction((tx) => writeScoreBatches(tx, shop, updates, scoredAt), {
    timeout: 300_000,
    maxWait: 60_000,
  });
}

async function writeScoreBatches(db: Db, shop: string, updates: ScoreUpdate[], scoredAt: Date) {
  const row = `(${[typed("text"), typed("int"), typed("bigint"), typed("int"), typed("timestamp"), typed("timestamp"), typed("int"), typed("int"), typed("int"), typed("int"), typed("text")].join(", ")})`;
  for (const batch of chunks(updates)) {
    const params: unknown[] = [];
    for (const update of batch)
      params.push(
        update.id,
        update.orders,
        update.spentCents,
        update.discountOrders,
        update.firstOrderAt,
        update.lastOrderAt,
        update.recencyDays,
        update.r,
        update.f,
        update.m,
        update.rfmGroup,
      );
    params.push(scoredAt, shop);
    await execute(
      db,
      `WITH v(id, orders, spent, discounted, first, last, recency, r, f, m, grp) AS (VALUES ${batch.map(() => row).join(", ")})
       UPDATE "Customer" SET "orders" = v.orders, "spentCents" = v.spent, "discountOrders" = v.discounted,
         "firstOrderAt" = v.first, "lastOrderAt" = v.last, "recencyDays" = v.recency,
         "r" = v.r, "f" = v.f, "m" = v.m, "rfmGroup" = v.grp, "scoredAt" = ${typed("timestamp")}
       FROM v WHERE "Customer"."shop" = ? AND "Customer"."id" = v.id`,
      params,
    );
  }
}

/** The scoring inputs of every buyer, for the in-memory RFM population. */
export async function loadBuyerInputs(shop: string) {
  const rows = await query<{ orders: unknown; spent: unknown; last: unknown }>(
    prisma,
    `SELECT "orders" AS orders, CAST("spentCents" AS TEXT) AS spent, "lastOrderAt" AS last
     FROM "Customer" WHERE "shop" = ? AND "orders" > 0 AND "lastOrderAt" IS NOT NULL`,
    [shop],
  );
  return rows.map((row) => ({
    orders: toNumber(row.orders),
    spentCents: toBigInt(row.spent),
    lastOrderAt: toDate(row.last) as Date,
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

/** Ids of the shop's customers matching a compiled rule predicate, optionally among `within`. */
export async function matchingCustomerIds(
  shop: string,
  predicate: { sql: string; params: unknown[] },
  within?: string[],
): Promise<string[]> {
  if (within && within.length === 0) return [];
  const rows = await query<{ id: string }>(
    prisma,
    `SELECT c."id" AS id FROM "Customer" c WHERE c."shop" = ?${within ? ` AND c."id" IN (${within.map(() => "?").join(", ")})` : ""} AND ${predicate.sql}`,
    [shop, ...(within ?? []), ...predicate.params],
  );
  return rows.map((row) => row.id);
}

export async function countMatchingCustomers(
  shop: string,
  predicate: { sql: string; params: unknown[] },
) {
  const [row] = await query<{ n: unknown }>(
    prisma,
    `SELECT COUNT(*) AS n FROM "Customer" c WHERE c."shop" = ? AND ${predicate.sql}`,
    [shop, ...predicate.params],
  );
  return toNumber(row?.n);
}

export async function countCustomers(shop: string) {
  return prisma.customer.count({ where: { shop } });
}

// ---------------------------------------------------------------------------------------------
// Memberships and history

/** Current members, as segment id -> customer ids. */
export async function loadMemberships(shop: string, customerIds?: string[]) {
  const members = new Map<string, Set<string>>();
  const add = (rows: { segmentId: string; customerId: string }[]) => {
    for (const row of rows) {
      let set = members.get(row.segmentId);
      if (!set) members.set(row.segmentId, (set = new Set()));
      set.add(row.customerId);
    }
  };
  if (!customerIds) {
    add(
      await query(
        prisma,
        `SELECT "segmentId", "customerId" FROM "SegmentMember" WHERE "shop" = ?`,
        [shop],
      ),
    );
    return members;
  }
  for (const ids of chunks(customerIds))
    add(
      await query(
        prisma,
        `SELECT "segmentId", "customerId" FROM "SegmentMember" WHERE "shop" = ? AND "customerId" IN (${ids.map(() => "?").join(", ")})`,
        [shop, ...ids],
      ),
    );
  return members;
}

export interface MembershipChange {
  segmentId: string;
  entered: string[];
  left: string[];
}

/** Applies entries and exits and records each as a SegmentEvent at `at`, in one transaction. */
export async function applyMembershipChanges(shop: string, changes: MembershipChange[], at: Date) {
  const entered = changes.flatMap((change) =>
    change.entered.map((customerId) => [change.segmentId, customerId] as const),
  );
  const left = changes.flatMap((change) =>
    change.left.map((customerId) => [change.segmentId, customerId] as const),
  );
  if (entered.length === 0 && left.length === 0) return;
  await prisma.$transaction(
    async (tx) => {
      for (const batch of chunks(entered)) {
        const params = batch.flatMap(([segmentId, customerId]) => [
          shop,
          segmentId,
          customerId,
          at,
        ]);
        const row = `(${typed("text")}, ${typed("text")}, ${typed("text")}, ${typed("timestamp")})`;
        await execute(
          tx,
          `INSERT INTO "SegmentMember" ("shop", "segmentId", "customerId", "enteredAt") VALUES ${batch.map(() => row).join(", ")} ON CONFLICT DO NOTHING`,
          params,
        );
      }
      for (const change of changes)
        for (const ids of chunks(change.left))
          await execute(
            tx,
            `DELETE FROM "SegmentMember" WHERE "segmentId" = ? AND "customerId" IN (${ids.map(() => "?").join(", ")})`,
            [change.segmentId, ...ids],
          );
      const events = [
        ...entered.map(([segmentId, customerId]) => [segmentId, customerId, "entered"] as const),
        ...left.map(([segmentId, customerId]) => [segmentId, customerId, "left"] as const),
      ];
      for (const batch of chunks(events)) {
        const row = `(${typed("text")}, ${typed("text")}, ${typed("text")}, ${typed("text")}, ${typed("timestamp")})`;
        await execute(
          tx,
          `INSERT INTO "SegmentEvent" ("shop", "segmentId", "customerId", "kind", "at") VALUES ${batch.map(() => row).join(", ")}`,
          batch.flatMap(([segmentId, customerId, kind]) => [shop, segmentId, customerId, kind, at]),
        );
      }
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
}

/** Sets memberCount and today's (as-of's UTC day) size and revenue for each segment. */
export async function writeSegmentSizes(
  shop: string,
  sizes: { segmentId: string; members: number; revenueCents: bigint }[],
  day: string,
) {
  await prisma.$transaction(
    sizes.flatMap((size) => [
      prisma.segment.update({ where: { id: size.segmentId }, data: { memberCount: size.members } }),
      prisma.segmentDailyStat.upsert({
        where: { segmentId_day: { segmentId: size.segmentId, day } },
        create: {
          shop,
          segmentId: size.segmentId,
          day,
          members: size.members,
          revenueCents: size.revenueCents,
        },
        update: { members: size.members, revenueCents: size.revenueCents },
      }),
    ]),
  );
}

/** Members and revenue (spend of current members) of the given segments, from the database. */
export async function measureSegments(shop: string, segmentIds: string[]) {
  if (segmentIds.length === 0) return [];
  const rows = await query<{ segmentId: string; n: unknown; revenue: unknown; orders: unknown }>(
    prisma,
    `SELECT m."segmentId" AS "segmentId", COUNT(*) AS n, CAST(SUM(c."spentCents") AS TEXT) AS revenue,
            SUM(c."orders") AS orders
     FROM "SegmentMember" m JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
     WHERE m."shop" = ? AND m."segmentId" IN (${segmentIds.map(() => "?").join(", ")})
     GROUP BY m."segmentId"`,
    [shop, ...segmentIds],
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

export const MEMBER_SORTS = {
  spent: 'c."spentCents"',
  orders: 'c."orders"',
  last_order: 'c."lastOrderAt"',
  r: 'c."r"',
  f: 'c."f"',
  m: 'c."m"',
  entered: 'm."enteredAt"',
} as const;
export type MemberSort = keyof typeof MEMBER_SORTS;

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
  options: { sort: MemberSort; direction: "asc" | "desc"; offset: number; limit: number },
): Promise<MemberRow[]> {
  const direction = options.direction === "asc" ? "ASC" : "DESC";
  const rows = await query<Record<string, unknown>>(
    prisma,
    `SELECT c."id" AS id, c."orders" AS orders, CAST(c."spentCents" AS TEXT) AS spent, c."lastOrderAt" AS last,
            c."r" AS r, c."f" AS f, c."m" AS m, c."rfmGroup" AS grp, c."shopifyRfmGroup" AS shopify,
            c."countryCode" AS country, m."enteredAt" AS entered
     FROM "SegmentMember" m JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
     WHERE m."shop" = ? AND m."segmentId" = ?
     ORDER BY CASE WHEN ${MEMBER_SORTS[options.sort]} IS NULL THEN 1 ELSE 0 END, ${MEMBER_SORTS[options.sort]} ${direction}, c."id" ASC
     LIMIT ? OFFSET ?`,
    [shop, segmentId, options.limit, options.offset],
  );
  return rows.map((row) => ({
    id: String(row.id),
    orders: toNumber(row.orders),
    spentCents: toBigInt(row.spent),
    lastOrderAt: toDate(row.last),
    r: toNullableNumber(row.r),
    f: toNullableNumber(row.f),
    m: toNullableNumber(row.m),
    rfmGroup: String(row.grp),
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
    `SELECT c."id" AS id, c."orders" AS orders, CAST(c."spentCents" AS TEXT) AS spent, c."lastOrderAt" AS last,
            c."r" AS r, c."f" AS f, c."m" AS m, c."rfmGroup" AS grp
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
    id: String(row.id),
    orders: toNumber(row.orders),
    spentCents: toBigInt(row.spent),
    lastOrderAt: toDate(row.last),
    r: toNullableNumber(row.r),
    f: toNullableNumber(row.f),
    m: toNullableNumber(row.m),
    rfmGroup: String(row.grp),
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
  shop: string,
  deltas: { segmentId: string; members: number; revenueCents: bigint }[],
  day: string,
) {
  if (deltas.length === 0) return;
  const existing = await prisma.segmentDailyStat.findMany({
    where: { segmentId: { in: deltas.map((delta) => delta.segmentId) }, day },
    select: { segmentId: true },
  });
  const hasRow = new Set(existing.map((row) => row.segmentId));
  const missing = deltas
    .filter((delta) => !hasRow.has(delta.segmentId))
    .map((delta) => delta.segmentId);
  await prisma.$transaction(async (tx) => {
    for (const delta of deltas) {
      if (delta.members !== 0)
        await tx.segment.update({
          where: { id: delta.segmentId },
          data: { memberCount: { increment: delta.members } },
        });
      if (hasRow.has(delta.segmentId))
        await tx.segmentDailyStat.update({
          where: { segmentId_day: { segmentId: delta.segmentId, day } },
          data: {
            members: { increment: delta.members },
            revenueCents: { increment: delta.revenueCents },
          },
        });
    }
  });
  for (const size of await measureSegments(shop, missing))
    await prisma.segmentDailyStat.upsert({
      where: { segmentId_day: { segmentId: size.segmentId, day } },
      create: {
        shop,
        segmentId: size.segmentId,
        day,
        members: size.members,
        revenueCents: size.revenueCents,
      },
      update: { members: size.members, revenueCents: size.revenueCents },
    });
}

/** Whether the shop has been computed at least once (its built-in segments exist). */
export async function hasBuiltInSegments(shop: string) {
  return (await prisma.segment.count({ where: { shop, kind: { not: "custom" } } })) > 0;
}

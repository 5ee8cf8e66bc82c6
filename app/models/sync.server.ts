import { Prisma } from "@prisma/client";
import prisma, { LONG_TRANSACTION, type PrismaDb, type RawDb } from "~/db.server";
import {
  chunks,
  execute,
  inJsonList,
  JSON_BATCH,
  type JsonType,
  jsonRows,
  jsonRow,
  postgres,
  query,
} from "./bulk-sql.server";

/** The shop's offline (background) session: what the gateway authenticates with. */
export async function findOfflineSession(shop: string) {
  return prisma.session.findFirst({
    where: { shop, isOnline: false },
    select: { accessToken: true, scope: true },
  });
}

/** Stores an offline session for a shop given its token (CLI `shops add`, the stand-in). */
export async function saveOfflineToken(shop: string, accessToken: string, scope: string) {
  const id = `offline_${shop}`;
  await prisma.session.upsert({
    where: { id },
    create: { id, shop, state: "", isOnline: false, scope, accessToken },
    update: { accessToken, scope },
  });
}

// ---- batched upserts ------------------------------------------------------------------

type Value = string | number | bigint | boolean | Date | null;

export interface UpsertSpec {
  table: Prisma.ModelName;
  columns: string[];
  /** Columns left as stored on conflict (e.g. createdAt) besides the key. */
  keepOnConflict?: string[];
  /**
   * Order safety: on conflict the row is replaced only when this column of the incoming row is
   * at least the stored one (an older updatedAt never overwrites a newer).
   */
  newerBy?: string;
  /** Breaks a tie on `newerBy` the way domain/sync/record-version.ts `replacesStored` does. */
  tieBrokenBy?: string;
}

/** The ON CONFLICT condition under which the incoming row replaces the stored one. */
function newerGuard({ table, newerBy, tieBrokenBy }: UpsertSpec) {
  if (!newerBy) return "";
  const incoming = (column: string) => `excluded."${column}"`;
  const stored = (column: string) => `"${table}"."${column}"`;
  const tie = tieBrokenBy
    ? `${incoming(tieBrokenBy)} IS NULL OR ${stored(tieBrokenBy)} IS NULL` +
      ` OR ${incoming(tieBrokenBy)} >= ${stored(tieBrokenBy)}`
    : "true";
  return (
    ` WHERE ${stored(newerBy)} IS NULL OR ${incoming(newerBy)} > ${stored(newerBy)}` +
    ` OR (${incoming(newerBy)} = ${stored(newerBy)} AND (${tie}))`
  );
}

const JSON_TYPES: Record<string, JsonType> = {
  String: "text",
  Int: "int",
  BigInt: "bigint",
  DateTime: "timestamp",
  Boolean: "boolean",
};

/** The JSON transfer type of each column, from the schema (so call sites only name columns). */
function columnTypes(table: Prisma.ModelName, columns: string[]) {
  const fields = Prisma.dmmf.datamodel.models.find((model) => model.name === table)?.fields ?? [];
  return columns.map((column): [string, JsonType] => {
    const type = JSON_TYPES[fields.find((field) => field.name === column)?.type ?? ""];
    if (!type) throw new Error(`${table}.${column} is not a column that bulk writes can store`);
    return [column, type];
  });
}

/** A synced value the database would refuse or store wrongly fails here, saying why. */
function storable(value: Value) {
  if (value instanceof Date && Number.isNaN(value.getTime()))
    throw new Error("cannot store an invalid date");
  if (typeof value === "number" && !Number.isFinite(value))
    throw new Error(`not a finite number: ${value}`);
  if (typeof value === "string" && value.includes("\0"))
    throw new Error("NUL characters cannot be stored");
  return value;
}

/** INSERT … ON CONFLICT (shop, id) DO UPDATE reading its rows from one JSON parameter. */
function upsertSql(spec: UpsertSpec) {
  const quoted = spec.columns.map((c) => `"${c}"`);
  const keep = new Set(["shop", "id", ...(spec.keepOnConflict ?? [])]);
  const updates = spec.columns
    .filter((c) => !keep.has(c))
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(", ");
  // "WHERE true": SQLite would otherwise read ON CONFLICT as part of the SELECT's join.
  return (
    `INSERT INTO "${spec.table}" (${quoted.join(",")}) ` +
    `SELECT ${quoted.map((c) => `v.${c}`).join(",")} ` +
    `FROM (${jsonRows(columnTypes(spec.table, spec.columns))}) v WHERE true ` +
    `ON CONFLICT ("shop","id") DO UPDATE SET ${updates}${newerGuard(spec)}`
  );
}

/**
 * Rows of one table kept as JSON text from the moment they are added until `upsert` writes them
 * (same SQL on SQLite and PostgreSQL). A full sync's batch of tens of thousands of rows then
 * weighs one short string per row, not the row objects with their dates and the copies made to
 * write them: that is what lets its batches, and so its commits, be large.
 */
export class EncodedRows {
  private readonly texts: string[] = [];

  constructor(private readonly spec: UpsertSpec) {}

  add(values: Value[]) {
    this.texts.push(jsonRow(values.map(storable)));
  }

  /** Writes the rows for which `keep(index)` holds (all by default), in the order added. */
  async upsert(db: RawDb, keep?: (index: number) => boolean) {
    const texts = keep ? this.texts.filter((_, index) => keep(index)) : this.texts;
    if (texts.length === 0) return;
    const sql = upsertSql(this.spec);
    for (const batch of chunks(texts, JSON_BATCH)) await execute(db, sql, [`[${batch.join(",")}]`]);
  }
}

/** Upserts many rows at once (see EncodedRows). */
export async function upsertRows(db: RawDb, spec: UpsertSpec, rows: Value[][]) {
  const encoded = new EncodedRows(spec);
  for (const row of rows) encoded.add(row);
  await encoded.upsert(db);
}

// ---- tombstones -----------------------------------------------------------------------

export async function addTombstones(db: RawDb, shop: string, ids: string[], deletedAt: Date) {
  if (ids.length === 0) return;
  await upsertRows(
    db,
    { table: "SyncTombstone", columns: ["shop", "id", "deletedAt"] },
    ids.map((id) => [shop, id, deletedAt]),
  );
}

/** Which of `ids` were deleted in Shopify (and must not be written again). */
export async function tombstonedAmong(db: RawDb, shop: string, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await query<{ id: string }>(
    db,
    `SELECT "id" FROM "SyncTombstone" WHERE "shop" = ? AND "id" ${inJsonList()}`,
    [shop, JSON.stringify(ids)],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Synced records to upsert in one go, except those deleted in Shopify (tombstones). `optional`
 * is a column only some sources carry (a GraphQL read, not a webhook): rows with a value write
 * it, the others leave what is stored.
 */
export class LiveRows<Row extends { id: string }> {
  private readonly ids: string[] = [];
  /** Rows with the optional column, then rows without it. */
  private readonly groups: { ids: string[]; rows: EncodedRows }[];

  constructor(
    private readonly shop: string,
    spec: UpsertSpec & { optional: string },
    private readonly valuesOf: (row: Row) => { values: Value[]; optional: Value | undefined },
  ) {
    this.groups = [
      { ids: [], rows: new EncodedRows({ ...spec, columns: [...spec.columns, spec.optional] }) },
      { ids: [], rows: new EncodedRows(spec) },
    ];
  }

  get length() {
    return this.ids.length;
  }

  add(row: Row) {
    const { values, optional } = this.valuesOf(row);
    const group = this.groups[optional === undefined ? 1 : 0];
    group.ids.push(row.id);
    group.rows.add(optional === undefined ? values : [...values, optional]);
    this.ids.push(row.id);
  }

  addAll(rows: Iterable<Row>) {
    for (const row of rows) this.add(row);
    return this;
  }

  /** Returns the ids written or kept (not the skipped deleted ones). */
  async write(db: RawDb) {
    const deleted = await tombstonedAmong(db, this.shop, this.ids);
    for (const group of this.groups)
      await group.rows.upsert(db, (index) => !deleted.has(group.ids[index]));
    return this.ids.filter((id) => !deleted.has(id));
  }
}

/** Shopify says these exist after all (an authoritative read): forget their deletion. */
export async function clearTombstones(db: PrismaDb, shop: string, ids: string[]) {
  for (const chunk of chunks(ids))
    await db.syncTombstone.deleteMany({ where: { shop, id: { in: chunk } } });
}

// ---- runs and cursors -----------------------------------------------------------------

export type SyncKind = "full" | "reconcile";

export async function createSyncRun(shop: string, kind: SyncKind, checkpoint: object) {
  return prisma.syncRun.create({
    data: { shop, kind, checkpoint: JSON.stringify(checkpoint) },
  });
}

export async function findRunningSyncRun(shop: string, kind: SyncKind) {
  return prisma.syncRun.findFirst({
    where: { shop, kind, status: "running" },
    orderBy: { startedAt: "desc" },
  });
}

export async function findSyncRun(id: string) {
  return prisma.syncRun.findUnique({ where: { id } });
}

export async function latestSyncRun(shop: string, kind?: SyncKind) {
  return prisma.syncRun.findFirst({
    where: { shop, ...(kind ? { kind } : {}) },
    orderBy: { startedAt: "desc" },
  });
}

/** Whether a full sync ever finished for the shop: until then the local copy is incomplete. */
export async function hasCompletedFullSync(shop: string) {
  return (await prisma.syncRun.count({ where: { shop, kind: "full", status: "succeeded" } })) > 0;
}

export interface SyncRunUpdate {
  status?: "running" | "succeeded" | "failed";
  phase?: string;
  bulkOperationId?: string | null;
  recordsDone?: number;
  recordsTotal?: number | null;
  checkpoint?: object;
  report?: object;
  error?: string | null;
  finishedAt?: Date | null;
}

export async function updateSyncRun(id: string, update: SyncRunUpdate) {
  const { checkpoint, report, ...rest } = update;
  await prisma.syncRun.update({
    where: { id },
    data: {
      ...rest,
      ...(checkpoint ? { checkpoint: JSON.stringify(checkpoint) } : {}),
      ...(report ? { report: JSON.stringify(report) } : {}),
    },
  });
}

/**
 * Takes or renews the run's lease for `owner` until `until`. False when another process holds a
 * lease that has not run out: it is working on the run. `replacing` names a holder known to be
 * gone, whose lease is taken even though it has not run out.
 */
export async function leaseSyncRun(
  id: string,
  owner: string,
  until: Date,
  { now = new Date(), replacing }: { now?: Date; replacing?: string } = {},
) {
  const holders = [owner, ...(replacing ? [replacing] : [])];
  const { count } = await prisma.syncRun.updateMany({
    where: {
      id,
      OR: [{ leasedBy: { in: holders } }, { leasedBy: null }, { leasedUntil: { lt: now } }],
    },
    data: { leasedBy: owner, leasedUntil: until },
  });
  return count === 1;
}

export async function releaseSyncRun(id: string, owner: string) {
  await prisma.syncRun.updateMany({
    where: { id, leasedBy: owner },
    data: { leasedBy: null, leasedUntil: null },
  });
}

/** Runs of any shop still marked running (a restart resumes them). */
/** Runs that did not succeed: still running (or died with their process) or failed. */
export async function unfinishedSyncRuns(kind: SyncKind) {
  return prisma.syncRun.findMany({ where: { kind, status: { in: ["running", "failed"] } } });
}

/** Finds the run waiting for a bulk operation (bulk_operations/finish webhook). */
export async function findRunByBulkOperation(shop: string, bulkOperationId: string) {
  return prisma.syncRun.findFirst({ where: { shop, bulkOperationId, status: "running" } });
}

export async function getSyncCursor(shop: string, resource: string) {
  const row = await prisma.syncCursor.findUnique({
    where: { shop_resource: { shop, resource } },
  });
  return row?.updatedAt ?? null;
}

export async function setSyncCursor(shop: string, resource: string, updatedAt: Date) {
  await prisma.syncCursor.upsert({
    where: { shop_resource: { shop, resource } },
    create: { shop, resource, updatedAt },
    update: { updatedAt },
  });
}

/** Installed shops (not uninstalled) that have an offline session: what scheduled jobs visit. */
export async function shopsToReconcile() {
  const sessions = await prisma.session.findMany({
    where: { isOnline: false },
    select: { shop: true },
    distinct: ["shop"],
  });
  const shops = await prisma.shop.findMany({
    where: { domain: { in: sessions.map((s) => s.shop) }, uninstalledAt: null },
    select: { domain: true },
  });
  return shops.map((s) => s.domain);
}

/**
 * After a bulk import, PostgreSQL's planner needs fresh statistics: without them (autovacuum may
 * not have run yet, or is off) segment rules pick nested loops over every order. SQLite's
 * planner works without them.
 */
export async function refreshPlannerStatistics() {
  if (postgres)
    await prisma.$executeRawUnsafe('ANALYZE "Customer", "Order", "LineItem", "Product"');
}

/** Runs model writes as one transaction (batches of a sync, a webhook's changes). */
export function inTransaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>) {
  return prisma.$transaction(work, LONG_TRANSACTION);
}

export async function recordShopCurrency(shop: string, currencyCode: string) {
  await prisma.shop.updateMany({ where: { domain: shop }, data: { currencyCode } });
}

export interface SyncOverview {
  /** The full sync to show: the unfinished one, else the last one. */
  full: {
    status: string;
    phase: string;
    recordsDone: number;
    recordsTotal: number | null;
    error: string | null;
    finishedAt: string | null;
  } | null;
  everCompleted: boolean;
  lastReconcile: { finishedAt: string | null; report: unknown } | null;
  scopes: string;
}

/** What the Overview shows about importing and keeping the shop in sync. */
export async function getSyncOverview(shop: string): Promise<SyncOverview> {
  const [full, everCompleted, reconcile, shopRow] = await Promise.all([
    latestSyncRun(shop, "full"),
    hasCompletedFullSync(shop),
    prisma.syncRun.findFirst({
      where: { shop, kind: "reconcile", status: "succeeded" },
      orderBy: { startedAt: "desc" },
    }),
    prisma.shop.findUnique({ where: { domain: shop }, select: { scopes: true } }),
  ]);
  return {
    full: full && {
      status: full.status,
      phase: full.phase,
      recordsDone: full.recordsDone,
      recordsTotal: full.recordsTotal,
      error: full.error,
      finishedAt: full.finishedAt?.toISOString() ?? null,
    },
    everCompleted,
    lastReconcile: reconcile && {
      finishedAt: reconcile.finishedAt?.toISOString() ?? null,
      report: reconcile.report ? JSON.parse(reconcile.report) : null,
    },
    scopes: shopRow?.scopes ?? "",
  };
}

/**
 * Batched upserts of synced rows: many rows in one statement, their values crossing as one JSON
 * parameter, a newer stored row kept (domain/sync/record-version.ts).
 */
import { Prisma } from "@prisma/client";
import type { RawDb } from "~/db.server";
import { chunks, execute, JSON_BATCH, type JsonType, jsonRows, jsonRow } from "./bulk-sql.server";

export type ColumnValue = string | number | bigint | boolean | Date | null;

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
  /**
   * When the app last had the record from Shopify (syncedAt). Written even when `newerBy` keeps
   * the stored content: the record was seen all the same, and a full sync's sweep deletes the
   * rows its export did not stamp. Never moved back by a write stamped earlier (one that waited
   * for the row while a later one committed).
   */
  seenAt?: string;
}

/** The condition under which the incoming row's content replaces the stored one, if guarded. */
function newerCondition({ table, newerBy, tieBrokenBy }: UpsertSpec) {
  if (!newerBy) return null;
  const incoming = (column: string) => `excluded."${column}"`;
  const stored = (column: string) => `"${table}"."${column}"`;
  const tie = tieBrokenBy
    ? `${incoming(tieBrokenBy)} IS NULL OR ${stored(tieBrokenBy)} IS NULL` +
      ` OR ${incoming(tieBrokenBy)} >= ${stored(tieBrokenBy)}`
    : "true";
  return (
    `(${stored(newerBy)} IS NULL OR ${incoming(newerBy)} > ${stored(newerBy)}` +
    ` OR (${incoming(newerBy)} = ${stored(newerBy)} AND (${tie})))`
  );
}

/** The ON CONFLICT … DO UPDATE assignments and condition (see UpsertSpec). */
function conflictUpdate(spec: UpsertSpec) {
  const keep = new Set(["shop", "id", ...(spec.keepOnConflict ?? [])]);
  const stored = (column: string) => `"${spec.table}"."${column}"`;
  const replaces = newerCondition(spec);
  const assign = (column: string) => {
    const incoming = `excluded."${column}"`;
    if (column === spec.seenAt)
      return `"${column}" = CASE WHEN ${stored(column)} > ${incoming} THEN ${stored(column)} ELSE ${incoming} END`;
    // Without a seen column, a row the guard keeps is left alone (WHERE below).
    if (!replaces || !spec.seenAt) return `"${column}" = ${incoming}`;
    return `"${column}" = CASE WHEN ${replaces} THEN ${incoming} ELSE ${stored(column)} END`;
  };
  const updates = spec.columns.filter((c) => !keep.has(c)).map(assign);
  return `SET ${updates.join(", ")}${replaces && !spec.seenAt ? ` WHERE ${replaces}` : ""}`;
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
function storable(value: ColumnValue) {
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
  // "WHERE true": SQLite would otherwise read ON CONFLICT as part of the SELECT's join.
  return (
    `INSERT INTO "${spec.table}" (${quoted.join(",")}) ` +
    `SELECT ${quoted.map((c) => `v.${c}`).join(",")} ` +
    `FROM (${jsonRows(columnTypes(spec.table, spec.columns))}) v WHERE true ` +
    `ON CONFLICT ("shop","id") DO UPDATE ${conflictUpdate(spec)}`
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

  add(values: ColumnValue[]) {
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
export async function upsertRows(db: RawDb, spec: UpsertSpec, rows: ColumnValue[][]) {
  const encoded = new EncodedRows(spec);
  for (const row of rows) encoded.add(row);
  await encoded.upsert(db);
}

/**
 * Bulk SQL shared by the models that write many rows at once (sync imports, segment recomputes):
 * written once for SQLite and PostgreSQL, with `?` placeholders numbered for PostgreSQL here.
 */
import prisma, { type RawDb } from "~/db.server";
import { sqlValue } from "~/db/sql-value.server";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../../prisma/provider.js";

const provider = databaseProvider(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);

export const postgres = provider === "postgresql";

/** Rows per multi-row statement: 500 rows × up to 12 columns stays under SQLite's 32 766 variables. */
export const BATCH = 500;

export function numbered(sql: string) {
  if (!postgres) return sql;
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** A typed placeholder: PostgreSQL cannot infer types inside a VALUES list. */
export function typed(type: "text" | "int" | "bigint" | "timestamp") {
  if (!postgres) return "?";
  return {
    text: "CAST(? AS TEXT)",
    int: "CAST(? AS INTEGER)",
    bigint: "CAST(? AS BIGINT)",
    timestamp: "CAST(? AS TIMESTAMP(3))",
  }[type];
}

export function query<T>(db: RawDb, sql: string, params: unknown[]) {
  return db.$queryRawUnsafe<T[]>(numbered(sql), ...params);
}

export function execute(db: RawDb, sql: string, params: unknown[]) {
  return db.$executeRawUnsafe(numbered(sql), ...params);
}

export function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A turn of the event loop: long bulk work (statements SQLite runs on this thread, computing
 * between them) takes one now and then, so requests waiting meanwhile are served in between.
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Rows per JSON-transferred statement (a few MB of text at most). */
export const JSON_BATCH = 20_000;

export type JsonType = "text" | "int" | "bigint" | "float" | "timestamp" | "boolean";

/**
 * Bulk data crosses the driver as ONE JSON text parameter or result instead of one bound value
 * per cell: binding through the driver adapter costs microseconds per value, which for 100,000
 * customers × a dozen columns would dominate a recompute. Rows are arrays; `jsonRows` turns the
 * parameter back into typed columns on either database.
 */
export function jsonRows(columns: [name: string, type: JsonType][]) {
  const cell = (index: number, type: JsonType) => {
    if (postgres) {
      const text = `j.value->>${index}`;
      return type === "text"
        ? text
        : `CAST(${text} AS ${{ int: "INTEGER", bigint: "BIGINT", float: "DOUBLE PRECISION", timestamp: "TIMESTAMP(3)", boolean: "BOOLEAN" }[type]})`;
    }
    const value = `json_extract(j.value, '$[${index}]')`;
    return type === "bigint" ? `CAST(${value} AS INTEGER)` : value;
  };
  const select = columns
    .map(([name, type], index) => `${cell(index, type)} AS "${name}"`)
    .join(", ");
  return postgres
    ? `SELECT ${select} FROM jsonb_array_elements(CAST(? AS jsonb)) AS j(value)`
    : `SELECT ${select} FROM json_each(?) AS j`;
}

/** `IN (…)` over one parameter holding a JSON array of strings (any number of ids). */
export function inJsonList() {
  return postgres
    ? "IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))"
    : "IN (SELECT value FROM json_each(?))";
}

/** One row of a `jsonRows` parameter: values as `sqlValue` encodes them, big integers as text. */
export function jsonRow(values: readonly unknown[]) {
  return JSON.stringify(
    values.map((value) => {
      const encoded = sqlValue(value, provider);
      // JSON numbers are doubles: 64-bit integers cross as text, which `jsonRows` casts back.
      return typeof encoded === "bigint" ? encoded.toString() : encoded;
    }),
  );
}

/** The one parameter `jsonRows` reads the rows from. */
export function jsonRowsParameter(rows: readonly (readonly unknown[])[]) {
  return `[${rows.map(jsonRow).join(",")}]`;
}

/** SQL aggregating rows into one JSON array-of-arrays text value. */
export function jsonAggregate(cells: string[]) {
  return postgres
    ? `COALESCE(CAST(json_agg(json_build_array(${cells.join(", ")})) AS TEXT), '[]')`
    : `COALESCE(json_group_array(json_array(${cells.join(", ")})), '[]')`;
}

/** A timestamp column as ISO text with its zone, on either database. */
export function timeText(column: string) {
  return postgres ? `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : column;
}

/** A timestamp column as milliseconds since the epoch (a JSON number, cheaper than ISO text). */
export function epochMs(column: string) {
  return postgres
    ? `CAST(EXTRACT(EPOCH FROM ${column}) * 1000 AS BIGINT)`
    : `CAST(ROUND(unixepoch(${column}, 'subsec') * 1000) AS INTEGER)`;
}

export async function queryJsonRows(
  db: RawDb,
  sql: string,
  params: unknown[],
): Promise<unknown[][]> {
  const [row] = await query<{ rows: string }>(db, sql, params);
  return JSON.parse(row?.rows ?? "[]") as unknown[][];
}

/**
 * While and after a bulk import, PostgreSQL's planner needs fresh statistics: without them
 * (autovacuum may not have run yet, or is off) it takes a growing shop for one without orders,
 * so id lookups scan all of its orders and segment rules pick nested loops over every order.
 * SQLite's planner works without them.
 */
export async function refreshPlannerStatistics(
  tables: readonly SyncedTable[] = ["Customer", "Order", "LineItem", "Product"],
) {
  if (postgres) await prisma.$executeRawUnsafe(`ANALYZE ${tables.map((t) => `"${t}"`).join(", ")}`);
}

export type SyncedTable = "Customer" | "Order" | "LineItem" | "Product";

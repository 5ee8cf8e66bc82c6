/**
 * The one encoder of JS values as SQL values, per database: what the drivers bind (raw statements
 * on PostgreSQL, every statement on SQLite) and what the cells of bulk statements' JSON rows hold.
 */
import type { databaseProvider } from "../../prisma/provider.js";

export type DatabaseProvider = ReturnType<typeof databaseProvider>;

/**
 * Timestamps become text in the exact form Prisma stores them: SQLite compares them as text, and
 * PostgreSQL reads them as UTC `timestamp(3)` (pg would send a Date in the server's zone).
 */
export function sqlValue(value: unknown, provider: DatabaseProvider) {
  if (value === undefined) throw new TypeError("undefined cannot be passed to the database");
  if (value instanceof Date)
    return value.toISOString().replace("Z", provider === "postgresql" ? "" : "+00:00");
  if (typeof value === "bigint") return provider === "postgresql" ? value.toString() : value;
  if (typeof value === "boolean" && provider === "sqlite") return value ? 1 : 0;
  return value;
}

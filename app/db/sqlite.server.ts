/**
 * SQLite under Prisma: one libsql connection per process with its statements cached, handed to
 * Prisma's libsql adapter in place of @libsql/client.
 *
 * Why not @libsql/client: it gives every transaction a connection of its own and never closes it
 * (tursodatabase/libsql-client-ts#350), so each transaction left a native SQLite handle with its
 * page cache until garbage collection (hundreds of MB during a full sync) and began with a cold
 * cache; and it prepares every statement again, which cost the webhook worker more than running
 * them. Prisma's adapter runs one query at a time behind a lock, transactions included, so one
 * connection serves it.
 */
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import Database from "libsql";
import { sqlValue } from "./sql-value.server";

type LibSqlClient = ReturnType<PrismaLibSQL["createClient"]>;
type Statement = ReturnType<Database.Database["prepare"]>;
type InStatement = string | { sql: string; args?: unknown[] };
/** A result row: by position (what Prisma's adapter reads) and by column name (raw queries). */
type Row = unknown[] & Record<string, unknown>;

/**
 * SQLite page cache of a connection (KiB). Bulk writes touch many index pages, but the operating
 * system caches the file too: 32 MB imports as fast as 64 or 128 MB, and a full sync's peak RSS
 * stays clear of 400 MB (64 MB swung it between 365 and 430 MB).
 */
export const CACHE_KB = 32 * 1024;
/** Size the write-ahead log file is truncated to after a checkpoint. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;
/** Distinct statements kept prepared (least recently used ones are dropped). */
const CACHED_STATEMENTS = 500;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

interface Prepared {
  statement: Statement;
  reader: boolean;
  columns: string[];
  columnTypes: string[];
}

/** The database file a `file:` URL names. */
export const sqliteFile = (url: string) => url.replace(/^file:/, "").replace(/\?.*$/, "");

export class SqliteConnection {
  private readonly database: Database.Database;
  private readonly prepared = new Map<string, Prepared>();

  constructor(url: string) {
    this.database = new Database(sqliteFile(url));
    // Write-ahead logging: one fsync per commit at most, and readers in other processes (CLI,
    // a second app instance) go on while this one writes.
    this.database.prepare("PRAGMA journal_mode=WAL").get();
    this.database.prepare(`PRAGMA cache_size=-${CACHE_KB}`).run();
    // Commits are not synced one by one: a power cut may undo the last moments of sync and
    // segment writes, which reconciliation and recomputes redo. Writes that must survive one
    // (acknowledged webhooks) go through `durably`.
    this.database.prepare("PRAGMA synchronous=NORMAL").run();
    // Bulk imports let the log grow to hundreds of MB (`bulkImport`): cut back once checkpointed.
    this.database.prepare(`PRAGMA journal_size_limit=${WAL_LIMIT_BYTES}`).get();
    // Another process (the CLI, a second instance) may hold the write lock for a batch (about
    // half a second): wait for it rather than fail at once, as SQLite does without a timeout.
    this.database.prepare(`PRAGMA busy_timeout=${BUSY_TIMEOUT_MS}`).get();
  }

  /**
   * BEGIN, COMMIT and ROLLBACK, each prepared and finalized on the spot. A cached COMMIT that
   * failed stays active and pins the connection's read snapshot, so every later write fails with
   * SQLITE_BUSY_SNAPSHOT once another process has committed.
   */
  control(sql: "BEGIN IMMEDIATE" | "COMMIT" | "ROLLBACK") {
    this.database.exec(sql);
  }

  /**
   * Ends a transaction with COMMIT or ROLLBACK. A failed COMMIT (a deferred constraint, a lock
   * that never came) leaves the transaction open: it is rolled back, or the connection would keep
   * its write lock and run every later statement inside a transaction nobody ends.
   */
  end(sql: "COMMIT" | "ROLLBACK") {
    try {
      this.control(sql);
    } catch (error) {
      if (this.database.inTransaction) this.control("ROLLBACK");
      throw error;
    }
  }

  private prepare(sql: string): Prepared {
    const cached = this.prepared.get(sql);
    if (cached) {
      // Map order is recency order: re-inserting marks it as just used.
      this.prepared.delete(sql);
      this.prepared.set(sql, cached);
      return cached;
    }
    const statement = this.database.prepare(sql);
    const reader = statement.reader;
    const columns = reader ? statement.columns() : [];
    if (reader) statement.raw(true).safeIntegers(true);
    const entry = {
      statement,
      reader,
      columns: columns.map((column) => column.name),
      columnTypes: columns.map((column) => column.type ?? ""),
    };
    this.prepared.set(sql, entry);
    if (this.prepared.size > CACHED_STATEMENTS)
      this.prepared.delete(this.prepared.keys().next().value!);
    return entry;
  }

  /** Runs one statement; the result has the shape of @libsql/client's ResultSet. */
  execute(input: InStatement) {
    const { sql, args = [] } = typeof input === "string" ? { sql: input } : input;
    const values = args.map((value) => sqlValue(value, "sqlite"));
    const { statement, reader, columns, columnTypes } = this.prepare(sql);
    if (!reader) {
      const info = statement.run(values);
      return { columns, columnTypes, rows: [] as Row[], rowsAffected: info.changes };
    }
    const rows = (statement.all(values) as unknown[][]).map((raw) => {
      const row = raw.map(fromSql) as Row;
      for (let index = 0; index < columns.length; index++) row[columns[index]] = row[index];
      return row;
    });
    return { columns, columnTypes, rows, rowsAffected: 0 };
  }

  close() {
    this.prepared.clear();
    this.database.close();
  }
}

function fromSql(value: unknown) {
  if (typeof value === "bigint")
    return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
  if (value instanceof Buffer)
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

/** Prisma's libsql adapter over one cached-statement connection (see the top of this file). */
export class OneConnectionLibSQL extends PrismaLibSQL {
  /** The connection Prisma's queries run on (opened when Prisma connects). */
  connection: SqliteConnection | undefined;

  createClient(config: Parameters<PrismaLibSQL["createClient"]>[0]): LibSqlClient {
    const connection = new SqliteConnection(config.url);
    this.connection = connection;
    const execute = async (statement: InStatement) => connection.execute(statement);
    // What Prisma's libsql adapter calls of a client and of its transactions, nothing more.
    const client = {
      execute,
      // Every transaction takes the write lock up front, though Prisma asks for "deferred": a
      // deferred transaction that reads, then writes after another process committed, fails at
      // once with SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out.
      async transaction() {
        connection.control("BEGIN IMMEDIATE");
        let open = true;
        const end = async (sql: "COMMIT" | "ROLLBACK") => {
          if (!open) return;
          open = false;
          connection.end(sql);
        };
        return {
          execute,
          commit: () => end("COMMIT"),
          rollback: () => end("ROLLBACK"),
          close: () => void end("ROLLBACK").catch(() => {}),
          get closed() {
            return !open;
          },
        };
      },
      // SQL scripts (migrations) are run by prisma migrate, never through the app's client.
      executeMultiple: () => Promise.reject(new Error("scripts are not run by the app")),
      close: () => connection.close(),
      closed: false,
      protocol: "file",
    };
    return client as unknown as LibSqlClient;
  }
}

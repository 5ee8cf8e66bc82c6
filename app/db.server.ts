import { PrismaPg } from "@prisma/adapter-pg";
import { type Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../prisma/provider.js";
import { SqliteReader } from "./db/sqlite-reader.server";
import { CACHE_KB, OneConnectionLibSQL, sqliteFile } from "./db/sqlite.server";
import { sqlValue } from "./db/sql-value.server";

/**
 * PostgreSQL sessions without JIT: a segment rule compiles to one wide expression, and the JIT
 * compiles it for longer than the query runs (forty large rules: 230 s with JIT, 4 s without).
 */
const POSTGRES_SESSION = { options: "-c jit=off" };

function createDatabase(url: string) {
  const postgres = databaseProvider(url) === "postgresql";
  const libsql = postgres ? undefined : new OneConnectionLibSQL({ url });
  const client = new PrismaClient({
    adapter: libsql ?? new PrismaPg({ connectionString: url, ...POSTGRES_SESSION }),
  });
  const pool = postgres
    ? new pg.Pool({ connectionString: url, max: 4, ...POSTGRES_SESSION })
    : undefined;
  const reader = postgres ? undefined : new SqliteReader(sqliteFile(url), CACHE_KB);
  return {
    postgres,
    prisma: client,
    durably: postgres ? runAsIs : sqliteDurably(client),
    bulkImport: postgres ? runAsIs : sqliteBulkImport(client),
    rawTransaction: libsql ? sqliteRawTransaction(client, libsql) : postgresRawTransaction(pool!),
    readConcurrently: reader
      ? (sql: string, values: unknown[]) => reader.query(sql, values)
      : async (sql: string, values: unknown[]) =>
          (await pool!.query(sql, postgresArgs(values))).rows,
  };
}

// ---- durable writes ----------------------------------------------------------------------

type Durably = <T>(write: () => Promise<T>) => Promise<T>;

const runAsIs: Durably = (write) => write();

/** SQLite: the write's commit is synced to disk (and with it everything committed before). */
function sqliteDurably(prisma: PrismaClient): Durably {
  return async (write) => {
    await prisma.$executeRawUnsafe("PRAGMA synchronous=FULL");
    try {
      return await write();
    } finally {
      await prisma.$executeRawUnsafe("PRAGMA synchronous=NORMAL");
    }
  };
}

// ---- bulk imports -------------------------------------------------------------------------

type BulkImport = <T>(work: () => Promise<T>) => Promise<T>;

/** WAL pages between checkpoints during bulk imports (~200 MB; SQLite's default is 1,000). */
const BULK_CHECKPOINT_PAGES = 50_000;

/**
 * SQLite: the write-ahead log is checkpointed every BULK_CHECKPOINT_PAGES pages while bulk
 * imports run. At the default, every batch of a full sync ended in a checkpoint: two fsyncs and
 * a copy of every index page the batch touched, the same pages batch after batch (commits took a
 * third of the import's time). The log is checkpointed at the end (PASSIVE: without waiting for
 * readers in other processes), so no later small write pays for it.
 */
function sqliteBulkImport(prisma: PrismaClient): BulkImport {
  let running = 0;
  return async (work) => {
    if (running++ === 0)
      await prisma.$executeRawUnsafe(`PRAGMA wal_autocheckpoint=${BULK_CHECKPOINT_PAGES}`);
    try {
      return await work();
    } finally {
      if (--running === 0) {
        await prisma.$executeRawUnsafe("PRAGMA wal_autocheckpoint=1000");
        await prisma.$executeRawUnsafe("PRAGMA wal_checkpoint(PASSIVE)");
      }
    }
  };
}

// ---- raw transactions --------------------------------------------------------------------

/** What bulk SQL needs of a database handle; Prisma clients and transactions have it too. */
export interface RawDb {
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
  /** Set inside a `rawTransaction`: a statement that may fail runs under a savepoint there. */
  inTransaction?: boolean;
}

/** What Prisma model queries run on: the client, or one of its interactive transactions. */
export type PrismaDb = PrismaClient | Prisma.TransactionClient;

/** Bulk transactions (a sync batch, a recompute) take long; waiting for one can too. */
export const LONG_TRANSACTION = { timeout: 120_000, maxWait: 60_000 };

type RawTransaction = <T>(work: (db: RawDb) => Promise<T>) => Promise<T>;

/**
 * Prisma carries each query through its query compiler: a megabyte-sized parameter or result
 * costs tens of milliseconds and grows its WebAssembly memory for good. Bulk statements (sync
 * batches, recomputes) run on the driver directly, in one transaction.
 */
function sqliteRawTransaction(prisma: PrismaClient, libsql: OneConnectionLibSQL): RawTransaction {
  // Prisma's interactive transaction holds its adapter's lock, so nothing else runs on the one
  // connection meanwhile; the statements themselves go to the connection directly.
  return (work) =>
    prisma.$transaction(() => {
      const connection = libsql.connection!;
      return work({
        inTransaction: true,
        async $queryRawUnsafe<T>(sql: string, ...values: unknown[]) {
          return connection.execute({ sql, args: values }).rows as T;
        },
        async $executeRawUnsafe(sql: string, ...values: unknown[]) {
          return connection.execute({ sql, args: values }).rowsAffected;
        },
      });
    }, LONG_TRANSACTION);
}

const postgresArgs = (values: unknown[]) => values.map((value) => sqlValue(value, "postgresql"));

function postgresRawTransaction(pool: pg.Pool): RawTransaction {
  return async (work) => {
    const connection = await pool.connect();
    try {
      await connection.query("BEGIN");
      const result = await work({
        inTransaction: true,
        async $queryRawUnsafe<T>(sql: string, ...values: unknown[]) {
          return (await connection.query(sql, postgresArgs(values))).rows as T;
        },
        async $executeRawUnsafe(sql: string, ...values: unknown[]) {
          return (await connection.query(sql, postgresArgs(values))).rowCount ?? 0;
        },
      });
      await connection.query("COMMIT");
      return result;
    } catch (error) {
      await connection.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  };
}

declare global {
  // Kept across dev-server reloads so each reload does not open new connections.
  var databaseGlobal: ReturnType<typeof createDatabase> | undefined;
}

const database = (globalThis.databaseGlobal ??= createDatabase(
  process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
));

const prisma = database.prisma;

/** Runs a write whose commit must survive a power cut (PostgreSQL: every commit does). */
export const durably: Durably = database.durably;

/** Runs a bulk import (many large write transactions) with the database tuned for it. */
export const bulkImport: BulkImport = database.bulkImport;

/** Runs bulk SQL in one transaction on the database driver itself (see RawDb). */
export const rawTransaction: RawTransaction = database.rawTransaction;

/** Runs model writes as one transaction (batches of a sync, a webhook's changes). */
export function inTransaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>) {
  return prisma.$transaction(work, LONG_TRANSACTION);
}

/**
 * A `rawTransaction` that no other transaction with the same key runs beside, in any process:
 * PostgreSQL takes a transaction-scoped advisory lock on the key first; on SQLite every
 * transaction already holds the database's write lock from its start (BEGIN IMMEDIATE).
 */
export const exclusiveTransaction = <T>(key: string, work: (db: RawDb) => Promise<T>) =>
  database.rawTransaction(async (db) => {
    if (database.postgres)
      await db.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key);
    return work(db);
  });

/**
 * Reads on a connection of their own, so they proceed while a `rawTransaction` works (SQLite: on
 * a worker thread). They see committed data only.
 */
export const concurrentReader: RawDb = {
  $queryRawUnsafe: <T>(sql: string, ...values: unknown[]) =>
    database.readConcurrently(sql, values) as Promise<T>,
  $executeRawUnsafe: () => Promise.reject(new Error("the concurrent reader only reads")),
};

export default prisma;

import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../prisma/provider.js";

type LibSqlClient = ReturnType<PrismaLibSQL["createClient"]>;
type LibSqlTransaction = Awaited<ReturnType<LibSqlClient["transaction"]>>;

/** SQLite page cache of the app's connection (KiB): bulk writes touch many index pages. */
const SQLITE_CACHE_KB = 64 * 1024;

/**
 * libsql's client gives every transaction a connection of its own and never closes it
 * (tursodatabase/libsql-client-ts#350): each transaction left a native SQLite handle with its
 * page cache until garbage collection, hundreds of MB during a full sync, and started with a
 * cold cache. Prisma's adapter already runs one query at a time behind a lock, transactions
 * included, so here transactions run on the client's one connection.
 */
class OneConnectionLibSQL extends PrismaLibSQL {
  /** The connection Prisma's queries run on (created when Prisma connects). */
  client: LibSqlClient | undefined;

  createClient(config: Parameters<PrismaLibSQL["createClient"]>[0]): LibSqlClient {
    const client = super.createClient(config);
    this.client = client;
    const transaction = async (mode = "write"): Promise<LibSqlTransaction> => {
      await client.execute(mode === "write" ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
      let open = true;
      const end = async (sql: "COMMIT" | "ROLLBACK") => {
        if (!open) return;
        open = false;
        await client.execute(sql);
      };
      return {
        execute: (statement) => client.execute(statement),
        async batch(statements) {
          const results = [];
          for (const statement of statements) results.push(await client.execute(statement));
          return results;
        },
        executeMultiple: () => Promise.reject(new Error("not supported inside a transaction")),
        commit: () => end("COMMIT"),
        rollback: () => end("ROLLBACK"),
        close: () => void end("ROLLBACK").catch(() => {}),
        get closed() {
          return !open;
        },
      };
    };
    return new Proxy(client, {
      get(target, property) {
        if (property === "transaction") return transaction;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
}

function createDatabase(url: string) {
  const postgres = databaseProvider(url) === "postgresql";
  const libsql = postgres ? undefined : new OneConnectionLibSQL({ url });
  const client = new PrismaClient({ adapter: libsql ?? new PrismaPg({ connectionString: url }) });
  if (!postgres) {
    // Write-ahead logging (kept in the file) costs one fsync per commit instead of several and
    // lets readers in other processes go on while the webhook worker or a sync writes.
    void client.$queryRawUnsafe("PRAGMA journal_mode=WAL").catch(() => {});
    void client.$executeRawUnsafe(`PRAGMA cache_size=-${SQLITE_CACHE_KB}`).catch(() => {});
    // Commits are not synced to disk one by one: a power cut may undo the last moments of sync
    // and segment writes, which reconciliation and recomputes redo. Writes that must survive
    // one (acknowledged webhooks) go through `durably`.
    void client.$executeRawUnsafe("PRAGMA synchronous=NORMAL").catch(() => {});
  }
  return {
    prisma: client,
    durably: postgres ? runAsIs : sqliteDurably(client),
    rawTransaction: libsql
      ? sqliteRawTransaction(client, libsql)
      : postgresRawTransaction(new pg.Pool({ connectionString: url, max: 4 })),
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

// ---- raw transactions --------------------------------------------------------------------

/** What bulk SQL needs of a database handle; Prisma clients and transactions have it too. */
export interface RawDb {
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
}

type RawTransaction = <T>(work: (db: RawDb) => Promise<T>) => Promise<T>;

/**
 * Prisma carries each query through its query compiler: a megabyte-sized parameter or result
 * costs tens of milliseconds and grows its WebAssembly memory for good. Bulk statements (sync
 * batches, recomputes) run on the driver directly, in one transaction.
 */
function sqliteRawTransaction(prisma: PrismaClient, libsql: OneConnectionLibSQL): RawTransaction {
  const timestamp = (value: Date) => value.toISOString().replace("Z", "+00:00");
  const args = (values: unknown[]) =>
    values.map((value) => (value instanceof Date ? timestamp(value) : value)) as never[];
  // Prisma's interactive transaction holds its adapter's lock, so nothing else runs on the one
  // connection meanwhile; the statements themselves go to the connection directly.
  return (work) =>
    prisma.$transaction(
      () => {
        const connection = libsql.client!;
        return work({
          async $queryRawUnsafe<T>(sql: string, ...values: unknown[]) {
            const result = await connection.execute({ sql, args: args(values) });
            return result.rows as T;
          },
          async $executeRawUnsafe(sql: string, ...values: unknown[]) {
            return (await connection.execute({ sql, args: args(values) })).rowsAffected;
          },
        });
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
}

function postgresRawTransaction(pool: pg.Pool): RawTransaction {
  // Timestamps are stored as UTC `timestamp(3)`; pg would send a Date in the server's zone.
  const args = (values: unknown[]) =>
    values.map((value) =>
      value instanceof Date
        ? value.toISOString().replace("Z", "")
        : typeof value === "bigint"
          ? value.toString()
          : value,
    );
  return async (work) => {
    const connection = await pool.connect();
    try {
      await connection.query("BEGIN");
      const result = await work({
        async $queryRawUnsafe<T>(sql: string, ...values: unknown[]) {
          return (await connection.query(sql, args(values))).rows as T;
        },
        async $executeRawUnsafe(sql: string, ...values: unknown[]) {
          return (await connection.query(sql, args(values))).rowCount ?? 0;
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

/** Runs bulk SQL in one transaction on the database driver itself (see RawDb). */
export const rawTransaction: RawTransaction = database.rawTransaction;

export default prisma;

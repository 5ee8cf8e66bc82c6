/**
 * A second SQLite connection on a worker thread, for long read-only queries that can run while
 * the main connection works (a full recompute evaluates custom rules on it while it aggregates
 * and scores). libsql's calls are synchronous, so a second connection on the same thread would
 * wait its turn; on its own thread it uses the other core. It reads what is committed.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { sqlValue } from "./sql-value.server";

// Evaluated as the worker's whole program (CommonJS), so the build needs no separate entry.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.libsql);
const database = new Database(workerData.file);
database.pragma("query_only = ON");
database.pragma("cache_size = -" + workerData.cacheKb);
parentPort.on("message", ({ id, sql, args }) => {
  try {
    parentPort.postMessage({ id, rows: database.prepare(sql).all(args) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;

type Reply = { id: number; rows?: Record<string, unknown>[]; error?: string };

export class SqliteReader {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (rows: Record<string, unknown>[]) => void; reject: (error: Error) => void }
  >();

  constructor(
    private readonly file: string,
    private readonly cacheKb: number,
  ) {}

  private start() {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: this.file,
        cacheKb: this.cacheKb,
        libsql: createRequire(import.meta.url).resolve("libsql"),
      },
    });
    // Only a pending query keeps the process alive, not an idle reader.
    worker.unref();
    worker.on("message", ({ id, rows, error }: Reply) => {
      const request = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (error !== undefined) request?.reject(new Error(error));
      else request?.resolve(rows ?? []);
    });
    const fail = (error: Error) => {
      this.worker = undefined;
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`SQLite reader thread exited (${code})`)));
    return worker;
  }

  query<T>(sql: string, args: unknown[]): Promise<T[]> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      worker.ref();
      worker.postMessage({ id, sql, args: args.map((value) => sqlValue(value, "sqlite")) });
    });
  }
}

// SQLite shared with another process (the operator CLI, a second instance): the app waits for
// that process's write lock instead of failing, its transactions never lose to that process's
// commits, and a failed COMMIT never leaves the app's one connection holding a transaction.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { sqliteFile } from "~/db/sqlite.server";
import { databaseProvider } from "../../../prisma/provider.js";

const url = process.env.DATABASE_URL!;
const onSqlite = databaseProvider(url) === "sqlite";

/**
 * Another process writes one row. With `holdMs`, it takes the write lock, says "locked", holds the
 * lock that long, then commits. `waitMs` is how long it waits for a lock held by someone else.
 */
function otherProcessWrites({ holdMs = 0, waitMs = 5_000 } = {}) {
  const script = `
    import Database from "libsql";
    const db = new Database(${JSON.stringify(sqliteFile(url))});
    db.prepare("PRAGMA busy_timeout=${waitMs}").get();
    db.prepare("BEGIN IMMEDIATE").run();
    db.prepare("INSERT INTO lock_probe VALUES ('other process')").run();
    console.log("locked");
    setTimeout(() => { db.prepare("COMMIT").run(); console.log("committed"); }, ${holdMs});
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => output.includes("locked") && resolve());
    void exited.then(() => reject(new Error(`the other process failed: ${output}`)));
  });
  return { locked, exited, output: () => output };
}

const probeRows = async () =>
  (await prisma.$queryRawUnsafe<{ who: string }[]>("SELECT who FROM lock_probe")).map(
    (row) => row.who,
  );

describe.skipIf(!onSqlite)("SQLite shared with another process", () => {
  beforeAll(async () => {
    await prisma.$executeRawUnsafe("CREATE TABLE IF NOT EXISTS lock_probe (who TEXT)");
  });
  afterAll(async () => {
    await prisma.$executeRawUnsafe("DROP TABLE IF EXISTS lock_probe");
  });

  it("waits for another process's write lock instead of failing", async () => {
    await prisma.$executeRawUnsafe("DELETE FROM lock_probe");
    const other = otherProcessWrites({ holdMs: 400 });
    await other.locked;
    const started = Date.now();
    await prisma.$executeRawUnsafe("INSERT INTO lock_probe VALUES ('app')");
    expect(Date.now() - started).toBeGreaterThan(200);
    expect(await other.exited).toBe(0);
    expect((await probeRows()).sort()).toEqual(["app", "other process"]);
  });

  it("a transaction that reads, then writes, is not undone by another process's commit", async () => {
    await prisma.$executeRawUnsafe("DELETE FROM lock_probe");
    let other: ReturnType<typeof otherProcessWrites> | undefined;
    await prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe("SELECT count(*) FROM lock_probe");
      other = otherProcessWrites();
      // Time for the other process to write and commit, if our transaction lets it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await tx.$executeRawUnsafe("INSERT INTO lock_probe VALUES ('app')");
    });
    expect(await other!.exited).toBe(0);
    expect((await probeRows()).sort()).toEqual(["app", "other process"]);
  });

  it("rolls back a transaction whose COMMIT failed, releasing the write lock", async () => {
    await prisma.$executeRawUnsafe("DELETE FROM lock_probe");
    // A deferred foreign key makes COMMIT fail and, in SQLite, leaves the transaction open.
    await prisma.$executeRawUnsafe("PRAGMA foreign_keys=ON");
    await prisma.$executeRawUnsafe("CREATE TABLE lock_parent (id INTEGER PRIMARY KEY)");
    await prisma.$executeRawUnsafe(
      "CREATE TABLE lock_child (parent INTEGER REFERENCES lock_parent(id) DEFERRABLE INITIALLY DEFERRED)",
    );
    try {
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe("INSERT INTO lock_probe VALUES ('lost')");
          await tx.$executeRawUnsafe("INSERT INTO lock_child VALUES (42)");
        }),
      ).rejects.toThrow(/FOREIGN KEY/i);

      // Another process takes the write lock at once: nothing of ours holds it.
      const other = otherProcessWrites({ waitMs: 0 });
      expect(await other.exited).toBe(0);
      // The app's next write runs outside any transaction, on a fresh snapshot.
      await prisma.$executeRawUnsafe("INSERT INTO lock_probe VALUES ('after')");
      expect((await probeRows()).sort()).toEqual(["after", "other process"]);
    } finally {
      await prisma.$executeRawUnsafe("DROP TABLE IF EXISTS lock_child");
      await prisma.$executeRawUnsafe("DROP TABLE IF EXISTS lock_parent");
      await prisma.$executeRawUnsafe("PRAGMA foreign_keys=OFF");
    }
  });
});

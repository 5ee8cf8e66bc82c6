import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";

const POSTGRES_URL = process.env.POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

function deploy(databaseUrl: string) {
  execFileSync(process.execPath, ["scripts/db.mjs", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const migrationNames = (folder: string) =>
  readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe("database migrations", () => {
  it("the PostgreSQL schema is the SQLite schema with only the provider changed", () => {
    expect(() =>
      execFileSync(process.execPath, ["scripts/db.mjs", "schemas", "--check"], { stdio: "pipe" }),
    ).not.toThrow();
  });

  it("both providers have a migration for every schema change", () => {
    expect(migrationNames("prisma/postgresql/migrations")).toEqual(
      migrationNames("prisma/migrations"),
    );
  });

  it("apply to an empty SQLite file", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "persegment-migrate-"));
    try {
      const url = `file:${folder}/fresh.sqlite`;
      deploy(url);
      const { createClient } = await import("@libsql/client");
      const client = createClient({ url });
      const applied = await client.execute(
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1",
      );
      expect(applied.rows.map((row) => row.migration_name)).toEqual(
        migrationNames("prisma/migrations"),
      );
      client.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("apply to an empty PostgreSQL database", async () => {
    const name = `persegment_migrate_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${name}`;
      deploy(url.toString());
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const applied = await client.query(
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1",
      );
      await client.end();
      expect(applied.rows.map((row) => row.migration_name)).toEqual(
        migrationNames("prisma/postgresql/migrations"),
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});

// A throwaway, migrated database of the provider a base URL names: a temp SQLite file, or a new
// database on the PostgreSQL server. Test runs and benchmarks each get their own.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseProvider } from "../../prisma/provider.js";

function migrate(databaseUrl: string) {
  execFileSync(process.execPath, ["scripts/db.mjs", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export async function createScratchDatabase(baseUrl: string, label: string) {
  if (databaseProvider(baseUrl) === "sqlite") {
    const folder = mkdtempSync(path.join(tmpdir(), `persegment-${label}-`));
    const url = `file:${folder}/${label}.sqlite`;
    migrate(url);
    return { url, drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const name = `persegment_${label}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  migrate(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

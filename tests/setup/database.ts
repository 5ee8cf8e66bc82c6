// Vitest global setup: every run gets a fresh, migrated database of the provider DATABASE_URL
// names (SQLite by default; a throwaway database on the PostgreSQL server otherwise).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../../prisma/provider.js";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

function migrate(databaseUrl: string) {
  execFileSync(process.execPath, ["scripts/db.mjs", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export default async function deploy(project: TestProject) {
  const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (databaseProvider(baseUrl) === "sqlite") {
    const folder = mkdtempSync(path.join(tmpdir(), "persegment-test-"));
    const databaseUrl = `file:${folder}/test.sqlite`;
    migrate(databaseUrl);
    project.provide("databaseUrl", databaseUrl);
    return () => rmSync(folder, { recursive: true, force: true });
  }

  const name = `persegment_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  migrate(url.toString());
  project.provide("databaseUrl", url.toString());
  return async () => {
    const cleanup = new pg.Client({ connectionString: baseUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  };
}

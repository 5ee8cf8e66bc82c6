// Prisma CLI configuration. Native engines cannot be downloaded here, so every command runs the
// JS schema engine through a driver adapter chosen from DATABASE_URL (SQLite via libsql by
// default, PostgreSQL for postgres:// URLs). Runtime clients are built in app/db.server.ts.
import "dotenv/config";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { databaseProvider, DEFAULT_DATABASE_URL } from "./prisma/provider.js";

const url = (process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL);
const provider = databaseProvider(url);

// prisma/orm#27403: adapter-pg cannot decode the catalog types "char" (18) and name (19), which
// the schema engine reads while introspecting. Decode them (and their arrays) as text.
const CATALOG_TYPES_AS_TEXT: Record<number, number> = { 18: 25, 19: 25, 1002: 1009, 1003: 1009 };
type FieldDescription = { dataTypeID: number };
// addFields is internal to pg (not in its types), hence the narrow cast.
const resultPrototype = pg.Result.prototype as unknown as {
  addFields(fields: FieldDescription[]): void;
};
const addFields = resultPrototype.addFields;
resultPrototype.addFields = function (fields) {
  for (const field of fields)
    field.dataTypeID = CATALOG_TYPES_AS_TEXT[field.dataTypeID] ?? field.dataTypeID;
  return addFields.call(this, fields);
};

// Discrete fields, never `connectionString`: pg lets a connection string override `database`,
// which would make the shadow database the real one.
function poolConfig(databaseUrl: string): pg.PoolConfig {
  const parsed = new URL(databaseUrl);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
    allowExitOnIdle: true,
  };
}

// The stock shadow database is dropped while its own pool still holds connections; close the
// pool first, then drop.
class PrismaPgForMigrations extends PrismaPg {
  constructor(private readonly poolSettings: pg.PoolConfig) {
    super(poolSettings);
  }

  override async connectToShadowDb() {
    const main = await this.connect();
    const name = `prisma_shadow_${process.pid}_${Date.now()}`;
    await main.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = await new PrismaPg({ ...this.poolSettings, database: name }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
      await main.dispose();
    };
    return shadow;
  }
}

// libsql's shadow database is ":memory:", which does not keep tables between the statements of a
// replayed migration, so diffs come out wrong. Replay into a throwaway file instead.
class PrismaLibSQLForMigrations extends PrismaLibSQL {
  override async connectToShadowDb() {
    const folder = mkdtempSync(path.join(tmpdir(), "prisma-shadow-"));
    const shadow = await new PrismaLibSQL({ url: `file:${folder}/shadow.sqlite` }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      rmSync(folder, { recursive: true, force: true });
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: provider === "postgresql" ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  adapter: async () =>
    provider === "postgresql"
      ? new PrismaPgForMigrations(poolConfig(url))
      : new PrismaLibSQLForMigrations({ url }),
});

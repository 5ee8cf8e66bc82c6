#!/usr/bin/env node
// Database tooling for both providers. One schema (prisma/schema.prisma, SQLite) is the source;
// the PostgreSQL copy and both migration folders are derived from it.
//
//   node scripts/db.mjs setup                 generate the client + apply migrations (DATABASE_URL)
//   node scripts/db.mjs generate              generate the client for DATABASE_URL's provider
//   node scripts/db.mjs deploy                apply migrations only (the client is left as it is)
//   node scripts/db.mjs migration <name>      write a new migration for SQLite and PostgreSQL
//   node scripts/db.mjs schemas [--check]     write (or check) prisma/postgresql/schema.prisma
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../prisma/provider.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SQLITE_SCHEMA = path.join(root, "prisma/schema.prisma");
const POSTGRES_SCHEMA = path.join(root, "prisma/postgresql/schema.prisma");
const SCHEMAS = { sqlite: SQLITE_SCHEMA, postgresql: POSTGRES_SCHEMA };
const GENERATED_STAMP = path.join(root, "node_modules/.prisma/client/persegment-stamp.txt");
const POSTGRES_FOR_DIFFS = process.env.POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

function postgresSchemaText() {
  return readFileSync(SQLITE_SCHEMA, "utf8")
    .replace(/provider = "sqlite"/, 'provider = "postgresql"')
    .replace(
      /^/,
      "// GENERATED from prisma/schema.prisma by `node scripts/db.mjs schemas`. Do not edit.\n",
    );
}

function prisma(args, databaseUrl) {
  execFileSync(path.join(root, "node_modules/.bin/prisma"), args, {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CHECKPOINT_DISABLE: "1",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(root, "scripts/unref-timers.cjs")}`,
    },
  });
}

function writeSchemas() {
  writeFileSync(POSTGRES_SCHEMA, postgresSchemaText());
}

function generate(databaseUrl) {
  const provider = databaseProvider(databaseUrl);
  const stamp = `${provider}:${createHash("sha256").update(readFileSync(SCHEMAS[provider])).digest("hex")}`;
  if (existsSync(GENERATED_STAMP) && readFileSync(GENERATED_STAMP, "utf8") === stamp) return;
  prisma(["generate", "--no-hints"], databaseUrl);
  writeFileSync(GENERATED_STAMP, stamp);
}

// The schema as of the newest migration. New migrations are the diff between it and the current
// schema (a datamodel-to-datamodel diff: replaying migrations into libsql's shadow database loses
// tables, so --from-migrations cannot be trusted on SQLite).
const SNAPSHOT = path.join(root, "prisma/migrations/schema.snapshot.prisma");
const asPostgres = (schema) => schema.replace(/provider = "sqlite"/, 'provider = "postgresql"');

function newMigration(name) {
  if (!/^[a-z0-9_]+$/.test(name ?? ""))
    throw new Error("usage: db.mjs migration <snake_case_name>");
  writeSchemas();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const scratch = mkdtempSync(path.join(tmpdir(), "persegment-migration-"));
  try {
    const targets = { sqlite: `file:${scratch}/diff.sqlite`, postgresql: POSTGRES_FOR_DIFFS };
    for (const [provider, url] of Object.entries(targets)) {
      const previous = path.join(scratch, `previous-${provider}.prisma`);
      const snapshot = readFileSync(SNAPSHOT, "utf8");
      writeFileSync(previous, provider === "postgresql" ? asPostgres(snapshot) : snapshot);
      const folder = path.join(path.dirname(SCHEMAS[provider]), "migrations");
      const out = path.join(folder, `${stamp}_${name}`, "migration.sql");
      try {
        prisma(
          [
            "migrate",
            "diff",
            "--from-schema-datamodel",
            previous,
            "--to-schema-datamodel",
            SCHEMAS[provider],
            "--script",
            "--exit-code",
            "-o",
            out,
          ],
          url,
        );
        rmSync(path.dirname(out), { recursive: true, force: true }); // -o made the folder anyway
        console.log(`${provider}: no schema change`);
      } catch (error) {
        if (error.status !== 2) throw error;
        console.log(`${provider}: wrote ${path.relative(root, out)}`);
      }
    }
    writeFileSync(SNAPSHOT, readFileSync(SQLITE_SCHEMA));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const [command, ...args] = process.argv.slice(2);
const databaseUrl = (process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL);
switch (command) {
  case "setup":
    generate(databaseUrl);
    prisma(["migrate", "deploy"], databaseUrl);
    break;
  case "generate":
    generate(databaseUrl);
    break;
  case "deploy":
    prisma(["migrate", "deploy"], databaseUrl);
    break;
  case "migration":
    newMigration(args[0]);
    break;
  case "schemas":
    if (args.includes("--check")) {
      if (readFileSync(POSTGRES_SCHEMA, "utf8") !== postgresSchemaText()) {
        console.error(
          "prisma/postgresql/schema.prisma is stale: run `node scripts/db.mjs schemas`",
        );
        process.exit(1);
      }
      if (readFileSync(SNAPSHOT, "utf8") !== readFileSync(SQLITE_SCHEMA, "utf8")) {
        console.error(
          "prisma/schema.prisma has changes without a migration: run `node scripts/db.mjs migration <name>`",
        );
        process.exit(1);
      }
    } else writeSchemas();
    break;
  default:
    console.error("usage: db.mjs setup | generate | deploy | migration <name> | schemas [--check]");
    process.exit(2);
}

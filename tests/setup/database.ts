// Vitest global setup: every run gets a fresh, migrated database of the provider DATABASE_URL
// names (SQLite by default; a throwaway database on the PostgreSQL server otherwise).
import type { TestProject } from "vitest/node";
import { DEFAULT_DATABASE_URL } from "../../prisma/provider.js";
import { createScratchDatabase } from "../support/scratch-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function deploy(project: TestProject) {
  const database = await createScratchDatabase(
    process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
    "test",
  );
  project.provide("databaseUrl", database.url);
  return database.drop;
}

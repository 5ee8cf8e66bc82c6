// Runs before each database-backed test file's imports: points the app at the run's scratch
// database (tests/setup/database.ts made it), before anything imports the Prisma client.
import { afterAll, inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");

// A file that sent a job has a job system (pg-boss holds connections): it stops with the file.
afterAll(async () => {
  await globalThis.pipelineGlobal?.jobs.stop();
});

// Runs before each database-backed test file's imports: points the app at the run's scratch
// database (tests/setup/database.ts made it), before anything imports the Prisma client.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");

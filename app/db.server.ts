import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../prisma/provider.js";

export function createPrismaClient(url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL) {
  const postgres = databaseProvider(url) === "postgresql";
  const adapter = postgres ? new PrismaPg({ connectionString: url }) : new PrismaLibSQL({ url });
  const client = new PrismaClient({ adapter });
  // SQLite: write-ahead logging (kept in the file) costs one fsync per commit instead of several
  // and lets readers go on while the webhook worker or a sync writes.
  if (!postgres) void client.$queryRawUnsafe("PRAGMA journal_mode=WAL").catch(() => {});
  return client;
}

declare global {
  // Kept across dev-server reloads so each reload does not open new connections.
  var prismaGlobal: PrismaClient | undefined;
}

const prisma = (globalThis.prismaGlobal ??= createPrismaClient());

export default prisma;

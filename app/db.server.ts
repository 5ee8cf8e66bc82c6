import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { databaseProvider, DEFAULT_DATABASE_URL } from "../prisma/provider.js";

export function createPrismaClient(url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL) {
  const adapter =
    databaseProvider(url) === "postgresql"
      ? new PrismaPg({ connectionString: url })
      : new PrismaLibSQL({ url });
  return new PrismaClient({ adapter });
}

declare global {
  // Kept across dev-server reloads so each reload does not open new connections.
  var prismaGlobal: PrismaClient | undefined;
}

const prisma = (globalThis.prismaGlobal ??= createPrismaClient());

export default prisma;

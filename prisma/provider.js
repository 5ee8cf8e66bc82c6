// Shared by prisma.config.ts, scripts and app/db.server.ts: which database a URL names.
export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

/** @param {string} url @returns {"postgresql" | "sqlite"} */
export function databaseProvider(url) {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.split(":")[0]}:…"`,
  );
}

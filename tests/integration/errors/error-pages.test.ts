// What a merchant's browser receives when a page fails: the app served by Remix's own request
// handler (the routes loaded through Vite, as in development), in development and in production
// mode. A shop whose stored data the database layer cannot read makes the Overview's query fail.
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { postgres } from "~/models/bulk-sql.server";
import { adminRequest, installedShop, storeOfflineSession } from "../../support/shopify-requests";
import { logger } from "~/logger.server";

let vite: ViteDevServer;
let build: ServerBuild;

beforeAll(async () => {
  vite = await createServer({
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
    logLevel: "silent",
  });
  build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
});

// Unreadable rows would fail other test files' queries across shops (the database is shared).
const unreadableShops: string[] = [];
afterEach(async () => {
  for (const shop of unreadableShops.splice(0))
    for (const table of ["SyncRun", "Segment"])
      await prisma.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "shop" = $1`, shop);
});

afterAll(async () => {
  await vite?.close();
});

const MODES = ["development", "production"] as const;

/** Sends the request through Remix with NODE_ENV and the server mode set to `mode`. */
async function serve(mode: (typeof MODES)[number], request: Request) {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = mode;
  try {
    const response = await createRequestHandler(build, mode)(request);
    return { status: response.status, body: await response.text() };
  } finally {
    process.env.NODE_ENV = previous;
  }
}

/**
 * A shop with a sync run whose record count is text, which SQLite stores as given: reading the
 * run fails in the database layer. (PostgreSQL refuses to store it.)
 */
async function shopWithUnreadableSyncRun(label: string) {
  const shop = await installedShop(label);
  await storeOfflineSession(shop);
  unreadableShops.push(shop);
  await prisma.syncRun.create({ data: { shop, kind: "full", checkpoint: "{}" } });
  await prisma.$executeRawUnsafe(
    `UPDATE "SyncRun" SET "recordsDone" = 'many' WHERE "shop" = $1`,
    shop,
  );
  return shop;
}

const escaped = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
// (Page markup names client modules by URL, e.g. /app/root.tsx: not server paths.)
const SERVER_DETAIL = [
  /prisma/i,
  /SELECT|FROM "|WHERE "/,
  /invocation/i,
  /DataMapperError|Expected an integer|got string|recordsDone|memberCount/,
  escaped(process.cwd()),
  /file:\/\//,
  /\.server\.ts/,
  /\bat [\w.<>]+ \(/, // a stack frame
];

describe.each(MODES)("a failing page in %s mode", (mode) => {
  it.skipIf(postgres)(
    "sends no database text, stack or path, only the logged reference",
    async () => {
      const shop = await shopWithUnreadableSyncRun(`error-page-${mode}`);
      // What the log line says when written (the error is scrubbed right after).
      const logged: string[] = [];
      const log = vi.spyOn(logger, "error").mockImplementation(((fields: { err?: unknown }) => {
        const { err, ...rest } = fields;
        logged.push(`${JSON.stringify(rest)} ${err instanceof Error ? err.stack : String(err)}`);
      }) as typeof logger.error);
      try {
        for (const path of ["/app", "/app.data"]) {
          logged.length = 0;
          const { status, body } = await serve(mode, await adminRequest(shop, path));
          expect(status, path).toBe(500);
          for (const detail of SERVER_DETAIL)
            expect(body, `${path}: ${detail}`).not.toMatch(detail);
          const reference = /ref-[0-9a-f]{12}/.exec(body)?.[0];
          expect(reference, path).toBeDefined();
          // The log has the detail, under the reference the merchant sees.
          expect(logged).toHaveLength(1);
          expect(logged[0]).toContain(reference);
          expect(logged[0]).toMatch(/Expected an integer/);
        }
      } finally {
        log.mockRestore();
      }
      const page = await serve(mode, await adminRequest(shop, "/app"));
      expect(page.body).toContain("Something went wrong");
      expect(page.body).toMatch(/Reference: (<!-- -->)?ref-[0-9a-f]{12}/);
      expect(page.body).toContain("Back to the overview");
      expect(page.body).not.toContain("Application Error");
    },
  );

  // JSON routes are left to Remix, which sends an error's text in development: handleError
  // strips it to the reference.
  it.skipIf(postgres)("a failing JSON route sends only the reference", async () => {
    const shop = await installedShop(`error-json-${mode}`);
    await storeOfflineSession(shop);
    unreadableShops.push(shop);
    await prisma.segment.create({ data: { shop, handle: "vip", name: "VIP", kind: "custom" } });
    await prisma.$executeRawUnsafe(
      `UPDATE "Segment" SET "memberCount" = 'many' WHERE "shop" = $1`,
      shop,
    );
    vi.spyOn(logger, "error").mockImplementationOnce(() => {});
    const { status, body } = await serve(mode, await adminRequest(shop, "/api/segments"));
    expect(status).toBe(500);
    for (const detail of SERVER_DETAIL) expect(body, String(detail)).not.toMatch(detail);
    if (mode === "development") expect(body).toMatch(/ref-[0-9a-f]{12}/);
  });

  it("answers an unknown page with the friendly 404 page, inside the app and outside", async () => {
    const shop = await installedShop(`not-found-${mode}`);
    await storeOfflineSession(shop);
    for (const path of ["/app/no-such-page", "/no-such-page"]) {
      const { status, body } = await serve(mode, await adminRequest(shop, path));
      expect(status, path).toBe(404);
      expect(body, path).toContain("Page not found");
      expect(body, path).toContain("Back to the overview");
      for (const detail of SERVER_DETAIL) expect(body, `${path}: ${detail}`).not.toMatch(detail);
    }
  });
});

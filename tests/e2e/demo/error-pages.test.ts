// The failure pages in Chromium, through the demo's admin host (the built app in its frame): an
// unknown page and a failing one show the Polaris page, hydrated without errors, and lead back.
// The demo's app runs in development mode, where Remix would send stacks: every error response's
// raw body (document, data request, JSON API, rejected form) is checked for stacks and paths.
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { postgres } from "~/models/bulk-sql.server";
import { appFrame, setUpDemoAdmin } from "../../support/demo-admin";

const SHOP = "persegment-demo-errors.myshopify.com";
const { openAdmin } = setUpDemoAdmin({ shop: SHOP, customers: 50 });

/** Signs of server internals: stack frames, file paths, module names, database wording. */
const SERVER_DETAIL =
  /\bat [\w$.<>]+ \(|at file:|\/work\/|\/home\/|node_modules|\.server\.ts|\.tsx?:\d+|prisma|sqlite|postgres|"stack"/i;

/** Requests from inside the app's frame: the admin host's fetch adds the session token. */
async function fetchInApp(
  frame: Frame,
  path: string,
  init: { method?: string; form?: Record<string, string>; json?: unknown } = {},
) {
  return frame.evaluate(
    async ({ path, init }) => {
      const body = init.form
        ? Object.entries(init.form).reduce((form, [key, value]) => {
            form.set(key, value);
            return form;
          }, new FormData())
        : init.json !== undefined
          ? JSON.stringify(init.json)
          : undefined;
      const url = new URL(path, location.href);
      // The embedded query (shop, host) as the app's own links carry it.
      for (const [key, value] of new URLSearchParams(location.search))
        if (!url.searchParams.has(key)) url.searchParams.set(key, value);
      const response = await fetch(url, {
        method: init.method ?? "GET",
        body,
        headers: init.json !== undefined ? { "Content-Type": "application/json" } : undefined,
      });
      return { status: response.status, text: await response.text() };
    },
    { path, init },
  );
}

describe("failure pages in the admin", () => {
  it("an unknown page: the 404 page inside the app, and the way back", async () => {
    const { page, app, errors } = await openAdmin("/app/no-such-page");
    await app.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
    await app.getByRole("link", { name: "Back to the overview" }).click();
    await app.getByRole("heading", { level: 1, name: "Overview" }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  // SQLite stores a text record count as given; PostgreSQL refuses it.
  it.skipIf(postgres)(
    "a failing page: what happened, the reference, no server detail",
    async () => {
      await prisma.$executeRawUnsafe(
        `UPDATE "SyncRun" SET "recordsDone" = 'many' WHERE "shop" = $1`,
        SHOP,
      );
      try {
        const { page, app, errors } = await openAdmin("/app");
        await app.getByRole("heading", { level: 1, name: "Something went wrong" }).waitFor();
        const text = (await app.locator("body").textContent()) ?? "";
        expect(text).toMatch(/Reference: ref-[0-9a-f]{12}/);
        expect(text).not.toMatch(/Application Error|Expected an integer|recordsDone|\.server\.ts/);
        expect(errors).toEqual([]);
        await page.close();
      } finally {
        await prisma.$executeRawUnsafe(
          `UPDATE "SyncRun" SET "recordsDone" = 0 WHERE "shop" = $1`,
          SHOP,
        );
      }
    },
  );

  it("error responses carry no stack trace or server path, in development mode too", async () => {
    const { page, app, errors } = await openAdmin("/app");
    await app.getByRole("heading", { level: 1, name: "Overview" }).waitFor({ timeout: 30_000 });
    const frame = appFrame(page);
    const check = async (
      label: string,
      path: string,
      status: number,
      init?: Parameters<typeof fetchInApp>[2],
    ) => {
      const response = await fetchInApp(frame, path, init);
      expect(response.status, label).toBe(status);
      expect(response.text, label).not.toMatch(SERVER_DETAIL);
      return response.text;
    };
    // A missing page: outside the app, inside it, and its data request.
    expect(await check("unknown URL", "/no-such-page", 404)).toContain("Page not found");
    expect(await check("unknown app page", "/app/no-such-page", 404)).toContain("Page not found");
    await check("unknown app data", "/app/no-such-page.data", 404);
    // A rejected form: field errors in the form's units, no database or schema wording.
    const rejected = await check("rejected settings", "/app/settings", 400, {
      method: "POST",
      form: {
        intent: "save",
        tagPrefix: "seg-",
        newBuyerDays: "30",
        lapsedDays: "90",
        vipPercentile: "100",
        discountSeekerShare: "50",
      },
    });
    expect(rejected).toContain("Enter a value between 50 and 99.9");
    expect(rejected).not.toMatch(/0\.999|&lt;=|<=/);
    // The JSON API refusing a body.
    const refused = await check("api refused", "/api/segments", 400, {
      method: "POST",
      json: { name: "x", rule: { field: "frequncy", op: ">=", value: 1 } },
    });
    expect(refused).toContain("Did you mean");
    expect(errors).toEqual([]);
    await page.close();
  });

  // SQLite stores a text record count as given; PostgreSQL refuses it.
  it.skipIf(postgres)(
    "a thrown error: the raw document and data responses hold only a reference",
    async () => {
      await prisma.$executeRawUnsafe(
        `UPDATE "SyncRun" SET "recordsDone" = 'many' WHERE "shop" = $1`,
        SHOP,
      );
      const { page, app } = await openAdmin("/app/settings");
      try {
        await app.getByRole("heading", { level: 1, name: "Settings" }).waitFor({ timeout: 30_000 });
        const frame = appFrame(page);
        for (const path of ["/app", "/app.data"]) {
          const response = await fetchInApp(frame, path);
          expect(response.status, path).toBe(500);
          expect(response.text, path).toMatch(/ref-[0-9a-f]{12}/);
          expect(response.text, path).not.toMatch(SERVER_DETAIL);
          expect(response.text, path).not.toMatch(/Expected an integer|recordsDone/);
        }
      } finally {
        await prisma.$executeRawUnsafe(
          `UPDATE "SyncRun" SET "recordsDone" = 0 WHERE "shop" = $1`,
          SHOP,
        );
        await page.close();
      }
    },
  );
});

// The embedded admin's pages, one entry per app.* route module in app/routes: the pages
// `npm run screenshots` renders and `npm run bench -- admin` measures. A route added without an
// entry here fails tests/unit/screenshots-pages.test.ts, so no page is forgotten.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Frame, Page } from "playwright-core";

export interface AdminPage {
  /** File name stem of the screenshot and row label of the bench, e.g. "segment". */
  name: string;
  /**
   * The page's path in the app, or how a merchant reaches it: the first link on page `from`
   * whose path matches `link` (ids such as a bar's are the demo's, not known in advance).
   */
  path: string | { from: string; link: RegExp };
  /** Shown in the README (the main screenshots, committed to docs/screenshots/). */
  main?: boolean;
}

export type AdminRoute =
  | { pages: AdminPage[] }
  /** Not a page of its own: why it has no screenshot. */
  | { skip: string };

/** Keyed by route module name as in app/routes (without its extension, or a folder's name). */
export const ADMIN_ROUTES: Record<string, AdminRoute> = {
  app: { skip: "the layout around every page (navigation, App Bridge)" },
  "app._index": { pages: [{ name: "home", path: "/app", main: true }] },
  "app.segments._index": { pages: [{ name: "segments", path: "/app/segments" }] },
  "app.segments.$handle": {
    pages: [
      { name: "segment", path: "/app/segments/champions", main: true },
      { name: "segment-engagement", path: "/app/segments/email-engaged" },
    ],
  },
  "app.segments.$handle.customers.$customerId": {
    pages: [
      {
        name: "segment-why",
        path: {
          from: "/app/segments/champions",
          link: /^\/app\/segments\/champions\/customers\/[^/]+$/,
        },
      },
    ],
  },
  "app.segments.$handle.export": { skip: "a CSV download, not a page" },
  "app.segments.$handle.performance": { skip: "a CSV download, not a page" },
  "app.performance": { pages: [{ name: "performance", path: "/app/performance" }] },
  "app.segments.new": { pages: [{ name: "segment-new", path: "/app/segments/new" }] },
  "app.predictions": { pages: [{ name: "predictions", path: "/app/predictions" }] },
  "app.tags": { pages: [{ name: "tags", path: "/app/tags" }] },
  "app.settings": { pages: [{ name: "settings", path: "/app/settings" }] },
  "app.storefront": { pages: [{ name: "storefront", path: "/app/storefront" }] },
  "app.storefront_.bars.$id": {
    pages: [
      {
        name: "bar-editor",
        path: { from: "/app/storefront", link: /^\/app\/storefront\/bars\/(?!new$)[^/]+$/ },
        main: true,
      },
      { name: "bar-new", path: "/app/storefront/bars/new" },
    ],
  },
  "app.storefront_.bars.$id_.results": {
    pages: [
      {
        name: "bar-results",
        path: { from: "/app/storefront", link: /^\/app\/storefront\/bars\/[^/]+\/results$/ },
      },
    ],
  },
  "app.storefront_.product-search": { skip: "the upsell product picker's search, JSON" },
  "app.storefront_.upsells.$productId": {
    pages: [
      {
        name: "upsell-editor",
        path: { from: "/app/storefront", link: /^\/app\/storefront\/upsells\/[^/]+$/ },
      },
    ],
  },
  "app.$": { pages: [{ name: "not-found", path: "/app/no-such-page" }] },
};

const ROUTES_DIR = path.resolve(import.meta.dirname, "../app/routes");

/** The app.* route modules in app/routes, by the names ADMIN_ROUTES uses. */
export function appRouteModules(dir = ROUTES_DIR) {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => (entry.isDirectory() ? entry.name : entry.name.replace(/\.[jt]sx?$/, "")))
    .filter((name) => name === "app" || name.startsWith("app."))
    .sort();
}

/** Every page to render, in the order of ADMIN_ROUTES; fails on a route module without an entry. */
export function adminPages(routesDir = ROUTES_DIR): AdminPage[] {
  const missing = appRouteModules(routesDir).filter((name) => !ADMIN_ROUTES[name]);
  if (missing.length)
    throw new Error(`app/routes has pages without an entry in ADMIN_ROUTES: ${missing.join(", ")}`);
  return Object.values(ADMIN_ROUTES).flatMap((route) => ("pages" in route ? route.pages : []));
}

/** The app's frame inside the demo's admin page. */
export function appFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (!frame) throw new Error("the admin page has no app frame");
  return frame;
}

/** The admin page that frames the app at `appPath`. */
export const adminUrl = (adminOrigin: string, appPath: string) =>
  `${adminOrigin.replace(/\/$/, "")}/?path=${encodeURIComponent(appPath)}`;

/** Waits until the app's page is drawn: its frame has loaded and shows a heading. */
export async function waitForAppPage(page: Page, timeout = 60_000) {
  await page.waitForFunction(() => document.querySelector("iframe"), null, { timeout });
  const frame = appFrame(page);
  await frame.waitForLoadState("load", { timeout });
  await frame.locator("h1, h2").first().waitFor({ timeout });
  return frame;
}

/**
 * The concrete path of each page: fixed paths as they are, linked ones looked up on their `from`
 * page (once per `from`), as a merchant would click through to them.
 */
export async function resolvePaths(pages: AdminPage[], adminOrigin: string, page: Page) {
  const resolved = new Map<string, string>();
  const linksOn = new Map<string, string[]>();
  for (const entry of pages) {
    if (typeof entry.path === "string") {
      resolved.set(entry.name, entry.path);
      continue;
    }
    const { from, link } = entry.path;
    if (!linksOn.has(from)) {
      await page.goto(adminUrl(adminOrigin, from));
      const frame = await waitForAppPage(page);
      const hrefs = await frame
        .locator("a[href]")
        .evaluateAll((anchors) =>
          anchors.map((anchor) => new URL((anchor as HTMLAnchorElement).href).pathname),
        );
      linksOn.set(from, hrefs);
    }
    const target = linksOn.get(from)!.find((href) => link.test(href));
    if (!target) throw new Error(`${entry.name}: no link matching ${link} on ${from}`);
    resolved.set(entry.name, target);
  }
  return resolved;
}

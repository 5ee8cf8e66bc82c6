// The demo as the end-to-end files drive it: `npm run demo` (the built app behind the local admin
// host, on the Shopify stand-in) started once per file, headless Chromium beside it, and the two
// ways a test opens an app page in the admin's iframe. Every page opened here is closed after its
// test, also when the test failed before closing it.
import type { Browser, BrowserContextOptions, Frame, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { SCHEDULES } from "~/pipeline.server";
import { startDemo, type DemoOptions } from "../../scripts/demo/main";
import { adminUrl } from "../../scripts/screenshots-pages";
import { launchChromium } from "./browser";

export { appFrame } from "../../scripts/screenshots-pages";

export type Demo = Awaited<ReturnType<typeof startDemo>>;

export interface DemoAdminOptions extends Omit<DemoOptions, "port" | "databaseUrl" | "dataDir"> {
  /** Runs once the demo is up, before the browser starts: to adjust the stand-in or the database. */
  prepare?: (demo: Demo) => unknown;
}

export interface PageOptions extends Omit<BrowserContextOptions, "viewport"> {
  /** The viewport's width in px (its height is 900); 1280 unless given. */
  width?: number;
}

/** The app's own schedules moved to New Year (the inbox sweep kept): only the test changes the shop. */
export const STILL_SHOP_SCHEDULES = Object.fromEntries(
  Object.keys(SCHEDULES)
    .filter((name) => name !== "schedule.inbox-sweep")
    .map((name) => [name, "0 0 1 1 *"]),
);

/** Building the app and running the pipeline on a fresh store take minutes on a busy machine. */
const START_TIMEOUT_MS = 400_000;

/**
 * Starts the demo on the test run's database (on a free port, quiet unless `log` is given) and
 * Chromium before the file's tests, and stops both after them. The files share the run's database,
 * so each that changes its shop passes a `shop` of its own.
 */
export function setUpDemoAdmin(options: DemoAdminOptions = {}) {
  const { prepare, ...demoOptions } = options;
  let demo: Demo | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    demo = await startDemo({
      log: () => {},
      ...demoOptions,
      port: 0,
      databaseUrl: process.env.DATABASE_URL,
    });
    await prepare?.(demo);
    browser = await launchChromium();
  }, START_TIMEOUT_MS);

  afterEach(async () => {
    for (const page of pages.splice(0)) if (!page.isClosed()) await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  function started<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`${what} starts before the file's first test`);
    return value;
  }

  async function newPage({ width = 1280, ...context }: PageOptions = {}) {
    const page = await started(browser, "the browser").newPage({
      ...context,
      viewport: { width, height: 900 },
    });
    pages.push(page);
    return page;
  }

  const handle = {
    get demo() {
      return started(demo, "the demo");
    },
    get browser() {
      return started(browser, "the browser");
    },

    /** The admin page that frames the app at `path`. */
    adminUrlFor: (path: string) => adminUrl(handle.demo.adminUrl, path),

    /**
     * The admin page with the app at `path` in its frame, as the host navigates it. `app` locates
     * inside the frame (and follows it across the app's navigations); `errors` collects the page's
     * uncaught errors from the start.
     */
    async openAdmin(path: string, options: PageOptions = {}) {
      const page = await newPage(options);
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(handle.adminUrlFor(path));
      return { page, app: page.frameLocator("iframe"), errors };
    },

    /**
     * The app's frame navigated to `path` with the embedded query (shop, host, a fresh session
     * token) that the admin host built for its own first navigation, as the admin opens a page.
     */
    async openAppFrame(path: string): Promise<Frame> {
      const page = await newPage();
      await page.goto(handle.demo.adminUrl);
      const iframe = page.locator("iframe");
      const src = await iframe.getAttribute("src");
      if (!src) throw new Error("the admin page has no app iframe");
      const embedded = new URL(src, handle.demo.adminUrl);
      embedded.pathname = path;
      const frame = await (await iframe.elementHandle())?.contentFrame();
      if (!frame) throw new Error("the app iframe has no frame");
      await frame.goto(embedded.href);
      return frame;
    },
  };
  return handle;
}

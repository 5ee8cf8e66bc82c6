// `npm run screenshots`: starts the demo (scripts/demo), then renders every admin page
// (scripts/screenshots-pages.ts, one entry per app.* route) and every storefront persona of the
// preview at 1280 and 390 px, whole pages, in the Chromium the e2e tests use.
//   tmp/screenshots/<page>-<width>.png   all of them (not committed)
//   docs/screenshots/<page>-<width>.webp the README's main ones (committed, small)
// SCREENSHOT_CUSTOMERS sets the store's size (default 3,000, the demo's); SCREENSHOTS_DIR the
// folder for all of them.
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { PERSONAS } from "@persegment/storefront-preview";
import { launchChromium } from "../tests/support/browser";
import { startDemo } from "./demo/main";
import { adminPages, adminUrl, appFrame, resolvePaths, waitForAppPage } from "./screenshots-pages";

const root = path.resolve(import.meta.dirname, "..");
export const WIDTHS = [1280, 390] as const;
/** The storefront persona the README shows. */
const MAIN_PERSONA = "champion";
/** Whole pages, but a runaway page must not make a 50,000 px image. */
const MAX_HEIGHT = 6000;
/** The README's images show a page's first screens only: they stay small in the repository. */
const MAIN_MAX_HEIGHT = 2400;
/** The window's height before it grows to the page's (a short page is not padded to a tall one). */
const START_HEIGHT = 640;

const allDir = path.resolve(root, process.env.SCREENSHOTS_DIR ?? "tmp/screenshots");
const mainDir = path.join(root, "docs/screenshots");

interface Shot {
  name: string;
  width: number;
  main: boolean;
}

/** Chromium's own encoder: WebP is a fraction of PNG's size for pages of text and flat colour. */
async function save(page: Page, shot: Shot, height: number) {
  const file = `${shot.name}-${shot.width}`;
  await page.screenshot({ path: path.join(allDir, `${file}.png`), fullPage: true });
  if (!shot.main) return [`${file}.png`];
  const cdp = await page.context().newCDPSession(page);
  const { data } = await cdp.send("Page.captureScreenshot", {
    format: "webp",
    quality: 75,
    clip: { x: 0, y: 0, width: shot.width, height: Math.min(height, MAIN_MAX_HEIGHT), scale: 1 },
    captureBeyondViewport: true,
  });
  await cdp.detach();
  const target = path.join(mainDir, `${file}.webp`);
  writeFileSync(target, Buffer.from(data, "base64"));
  return [
    `${file}.png`,
    `${path.relative(root, target)} (${Math.round(statSync(target).size / 1024)} KB)`,
  ];
}

/**
 * The demo's admin frames the app in an iframe as tall as the window, so a whole page is taken
 * with the window as tall as the app's content below the admin's own bar.
 */
async function fitWindowToApp(page: Page, width: number) {
  for (let round = 0; round < 3; round++) {
    const top = await page.locator("iframe").evaluate((frame) => frame.getBoundingClientRect().top);
    const content = await appFrame(page).evaluate(() => document.documentElement.scrollHeight);
    const height = Math.min(MAX_HEIGHT, Math.ceil(top + content));
    if (height === page.viewportSize()?.height) return height;
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
  }
  return page.viewportSize()!.height;
}

async function adminShots(browser: Browser, adminOrigin: string, log: (line: string) => void) {
  const pages = adminPages();
  const lookup = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const paths = await resolvePaths(pages, adminOrigin, lookup);
  await lookup.close();
  for (const entry of pages) {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: START_HEIGHT } });
      await page.goto(adminUrl(adminOrigin, paths.get(entry.name)!));
      await waitForAppPage(page);
      await page.waitForLoadState("networkidle");
      const height = await fitWindowToApp(page, width);
      const files = await save(page, { name: entry.name, width, main: !!entry.main }, height);
      log(`  ${paths.get(entry.name)} at ${width} px → ${files.join(", ")}`);
      await page.close();
    }
  }
}

async function storefrontShots(
  browser: Browser,
  previewOrigin: string,
  log: (line: string) => void,
) {
  for (const persona of PERSONAS) {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: START_HEIGHT } });
      await page.goto(`${previewOrigin.replace(/\/$/, "")}/personas/${persona.id}?reset`);
      await page.waitForLoadState("networkidle");
      const height = Math.min(
        MAX_HEIGHT,
        await page.evaluate(() => document.documentElement.scrollHeight),
      );
      const shot = { name: `storefront-${persona.id}`, width, main: persona.id === MAIN_PERSONA };
      const files = await save(page, shot, height);
      log(`  storefront ${persona.label} at ${width} px → ${files.join(", ")}`);
      await page.close();
    }
  }
}

/** Every screenshot of a running demo (its admin page and storefront preview). */
export async function takeScreenshots(
  demo: { adminUrl: string; previewUrl: string },
  log: (line: string) => void,
) {
  rmSync(allDir, { recursive: true, force: true });
  mkdirSync(allDir, { recursive: true });
  mkdirSync(mainDir, { recursive: true });
  const browser = await launchChromium();
  try {
    log("• admin pages");
    await adminShots(browser, demo.adminUrl, log);
    log("• storefront personas");
    await storefrontShots(browser, demo.previewUrl, log);
    log(`screenshots in ${path.relative(root, allDir)}/, the README's in docs/screenshots/`);
  } finally {
    await browser.close();
  }
}

async function main() {
  const log = (line: string) => console.log(line);
  const demo = await startDemo({
    customers: Number(process.env.SCREENSHOT_CUSTOMERS || 3000),
    port: 0,
    dataDir: path.join(root, "tmp/screenshots-demo"),
    liveOrdersPerSecond: 0,
    log,
  });
  try {
    await takeScreenshots(demo, log);
  } finally {
    await demo.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]))
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });

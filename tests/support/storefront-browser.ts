// The storefront as the e2e files open it: the preview server on the sample storefront at a fixed
// moment and headless Chromium beside it, started once per file; each page records its layout
// shifts from the first paint on and the requests it makes.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContextOptions, Page, Request } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { sampleStorefront, startPreviewServer } from "@persegment/storefront-preview";
import { launchChromium } from "./browser";

export const STOREFRONT_ARTIFACTS = path.resolve("test-artifacts/storefront");
export const PREVIEW_NOW = new Date("2026-11-23T10:00:00Z");

type LayoutShifts = { cls: number; shifts: string[] };

/** Sums layout shifts not caused by recent input, from the first paint on (buffered). */
const RECORD_LAYOUT_SHIFTS = () => {
  const state = { cls: 0, shifts: [] as string[] };
  (window as unknown as { __layoutShift: typeof state }).__layoutShift = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & {
      value: number;
      hadRecentInput: boolean;
      sources?: { node?: Node }[];
    })[]) {
      if (entry.hadRecentInput) continue;
      state.cls += entry.value;
      state.shifts.push(
        `${entry.value} ${entry.sources?.map((source) => (source.node as Element)?.className || source.node?.nodeName).join(",")}`,
      );
    }
  }).observe({ type: "layout-shift", buffered: true });
};

/** Lets pending frames and the timers they start run. */
export async function settleFrames(page: Page, ms = 200) {
  await page.evaluate(
    (wait) => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, wait))),
    ms,
  );
}

/** The page's layout shifts so far, once pending frames have settled. */
export async function layoutShift(page: Page, settleMs = 200): Promise<LayoutShifts> {
  await settleFrames(page, settleMs);
  return page.evaluate(() => (window as unknown as { __layoutShift: LayoutShifts }).__layoutShift);
}

export function setUpStorefrontPreview() {
  let browser: Browser | undefined;
  let preview: Awaited<ReturnType<typeof startPreviewServer>> | undefined;

  beforeAll(async () => {
    mkdirSync(STOREFRONT_ARTIFACTS, { recursive: true });
    preview = await startPreviewServer({ published: sampleStorefront(), now: () => PREVIEW_NOW });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await preview?.close();
  });

  const started = () => {
    if (!browser || !preview) throw new Error("the preview starts before the file's first test");
    return { browser, preview };
  };

  return {
    get origin() {
      return started().preview.origin;
    },
    /** Opens a preview path in a fresh context, loaded and network-idle. */
    async open(pathAndQuery: string, options: BrowserContextOptions) {
      const { browser: chromium, preview: server } = started();
      const context = await chromium.newContext({ locale: "en-US", ...options });
      const page = await context.newPage();
      await page.addInitScript(RECORD_LAYOUT_SHIFTS);
      const requests: Request[] = [];
      page.on("request", (request) => requests.push(request));
      await page.goto(`${server.origin}${pathAndQuery}`, { waitUntil: "load" });
      await page.waitForLoadState("networkidle");
      return { page, context, requests };
    },
  };
}

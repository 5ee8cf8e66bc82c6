// The buy-again block in Chromium (issue 21, must-show 3): a logged-in customer who bought
// replenishable products long enough ago sees them, most due first; guests see nothing, not even
// an empty box; the page asks nothing of the app (the ranking is Liquid's, from customer.orders
// and the published intervals); and nothing shifts (CLS 0).
import path from "node:path";
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  layoutShift,
  setUpStorefrontPreview,
  STOREFRONT_ARTIFACTS,
} from "../../support/storefront-browser";

const storefront = setUpStorefrontPreview();

function openPersona(personaId: string, width = 1280) {
  return storefront.open(`/personas/${personaId}?reset=1`, {
    viewport: { width, height: 800 },
    isMobile: width < 500,
    hasTouch: width < 500,
  });
}

/** Requests that are not the storefront's own page and static files: any to the app included. */
function otherRequests(requests: Request[]) {
  return requests
    .filter(
      (request) =>
        !request.url().startsWith(`${storefront.origin}/`) ||
        ["fetch", "xhr", "websocket", "eventsource"].includes(request.resourceType()) ||
        !/^\/(personas\/|assets\/|images\/)/.test(new URL(request.url()).pathname),
    )
    .map((request) => `${request.resourceType()} ${request.url()}`);
}

describe("buy-again block in Chromium", () => {
  for (const width of [1280, 360]) {
    it(`at ${width} px: the returning customer sees the most due product first; no requests; CLS 0`, async () => {
      const { page, context, requests } = await openPersona("returning", width);
      try {
        const block = page.locator(".persegment-buy-again");
        await block.scrollIntoViewIfNeeded();
        expect(await block.getByRole("heading", { level: 2 }).textContent()).toBe(
          "Time to buy again?",
        );
        const titles = await block.locator(".persegment-upsell__title").allTextContents();
        expect(titles).toEqual(["Merino Running Socks", "Blister Kit <Pro>"]);
        await expect
          .poll(() => block.getByRole("link").first().getAttribute("href"))
          .toBe("/products/merino-running-socks");
        // The cards have their size before the lazy images arrive.
        const imageBox = (await block.locator("img").first().boundingBox())!;
        expect(imageBox.width).toBeGreaterThan(0);
        expect(Math.abs(imageBox.width - imageBox.height)).toBeLessThan(1);

        await page.mouse.wheel(0, 600);
        const shift = await layoutShift(page, 300);
        expect(shift.cls, shift.shifts.join("; ")).toBe(0);
        expect(otherRequests(requests)).toEqual([]);
        await block.screenshot({
          path: path.join(STOREFRONT_ARTIFACTS, `buy-again-returning-${width}.png`),
        });
      } finally {
        await context.close();
      }
    });
  }

  for (const personaId of ["guest-us", "champion"]) {
    it(`${personaId}: no block and no empty box; no requests; CLS 0`, async () => {
      const { page, context, requests } = await openPersona(personaId);
      try {
        expect(await page.locator(".persegment-buy-again").count()).toBe(0);
        // The Apps section holds nothing: no box takes room on the page.
        const apps = (await page.locator("#shopify-section-apps").boundingBox())!;
        expect(apps.height).toBe(0);
        await page.mouse.wheel(0, 600);
        const shift = await layoutShift(page, 300);
        expect(shift.cls, shift.shifts.join("; ")).toBe(0);
        expect(otherRequests(requests)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

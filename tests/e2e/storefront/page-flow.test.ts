// The top bar in the page flow (PRODUCT.md §6), on the preview's Dawn-like theme in Chromium at
// 1280 and 360 px: the bar never covers the theme's logo, menu or cart (at the top, while
// scrolling under the sticky header, and with the cart drawer open), stays one line with its
// message truncated, shifts nothing (CLS 0), and the page asks nothing of the app.
import path from "node:path";
import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { BarPlacement } from "@persegment/storefront-preview";
import {
  layoutShift,
  settleFrames,
  setUpStorefrontPreview,
  STOREFRONT_ARTIFACTS,
} from "../../support/storefront-browser";

const WIDTHS = [1280, 360] as const;
const storefront = setUpStorefrontPreview();

function open(width: number, personaId: string, placement: BarPlacement) {
  return storefront.open(`/personas/${personaId}?reset=1&bar=${placement}`, {
    viewport: { width, height: width < 500 ? 740 : 800 },
    isMobile: width < 500,
    hasTouch: width < 500,
  });
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The theme's header parts a shopper must always reach; the menu is the hamburger on phones. */
function headerParts(width: number) {
  return {
    logo: ".header__heading-link",
    menu: width < 990 ? "summary.header__icon--menu" : ".header__inline-menu",
    cart: "#cart-icon-bubble",
  };
}

/**
 * Each header part is on screen, its box does not meet the bar's, and the element the browser
 * finds at its centre is the part itself (nothing painted over it).
 */
async function expectHeaderUncovered(page: Page, width: number, when: string) {
  const bar = await page.locator("persegment-bar:visible").boundingBox();
  for (const [name, selector] of Object.entries(headerParts(width))) {
    const part = page.locator(selector);
    const box = (await part.boundingBox())!;
    expect(box, `${name} ${when}`).not.toBeNull();
    expect(box.y, `${name} on screen ${when}`).toBeGreaterThanOrEqual(0);
    if (bar) expect(intersects(bar, box), `bar meets the ${name} ${when}`).toBe(false);
    const hit = await part.evaluate(
      (node, { x, y }) => {
        const found = document.elementFromPoint(x, y);
        return node.contains(found) ? "itself" : (found?.outerHTML.slice(0, 80) ?? "nothing");
      },
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    );
    expect(hit, `${name} reachable ${when}`).toBe("itself");
  }
}

async function expectOneLine(page: Page) {
  const text = page.locator("persegment-bar:visible .persegment-bar__text");
  const line = await text.evaluate((node) => {
    const style = getComputedStyle(node);
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = [...range.getClientRects()]
      .filter((rect) => rect.width > 0)
      .map((rect) => Math.round(rect.top));
    return {
      lineTops: [...new Set(tops)].length,
      height: node.getBoundingClientRect().height,
      lineHeight: parseFloat(style.lineHeight),
      whiteSpace: style.whiteSpace,
      textOverflow: style.textOverflow,
      overflow: style.overflowX,
      truncated: node.scrollWidth > node.clientWidth,
    };
  });
  expect(line.lineTops, "the message is on one line").toBe(1);
  expect(Math.abs(line.height - line.lineHeight), "the text is one line box tall").toBeLessThan(1);
  expect(line).toMatchObject({
    whiteSpace: "nowrap",
    textOverflow: "ellipsis",
    overflow: "hidden",
  });
  return line;
}

/** The close button and the link (where there is one) are on screen, big enough and on top. */
async function expectControlsUsable(page: Page, viewportWidth: number) {
  const dismiss = page.locator("persegment-bar:visible .persegment-bar__dismiss");
  const box = (await dismiss.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewportWidth);
  expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
  const controls = [dismiss];
  if (await page.locator("persegment-bar:visible .persegment-bar__link").count())
    controls.push(page.locator("persegment-bar:visible .persegment-bar__link"));
  for (const control of controls) {
    const onTop = await control.evaluate((node) => {
      // The visible part of a truncated link: its box clipped to the message's.
      const own = node.getBoundingClientRect();
      const clip = node.closest(".persegment-bar__inner")!.getBoundingClientRect();
      const x = (Math.max(own.left, clip.left) + Math.min(own.right, clip.right)) / 2;
      const y = (own.top + own.bottom) / 2;
      return node.contains(document.elementFromPoint(x, y));
    });
    expect(onTop).toBe(true);
  }
}

/** Only the page and its static files: no fetch or XHR, nothing from another origin. */
function expectNoPersonalizationRequests(requests: Request[]) {
  const other = requests.filter(
    (request) =>
      !request.url().startsWith(storefront.origin) ||
      !["document", "stylesheet", "script", "image"].includes(request.resourceType()) ||
      !/^\/(personas\/|assets\/|images\/)/.test(new URL(request.url()).pathname),
  );
  expect(other.map((request) => `${request.resourceType()} ${request.url()}`)).toEqual([]);
}

describe("top bar in the page flow, on a theme with a sticky header and a cart drawer", () => {
  for (const placement of ["embed", "block"] as const) {
    for (const width of WIDTHS) {
      it(`${placement} at ${width} px: covers no header part, at the top or scrolled; one line; CLS 0; no requests`, async () => {
        const { page, context, requests } = await open(width, "lapsed", placement);
        try {
          await expect.poll(() => page.locator("persegment-bar:visible").count()).toBe(1);
          const bar = (await page.locator("persegment-bar:visible").boundingBox())!;
          // In the flow, above the header group: the theme's announcement bar starts below it.
          const announcement = (await page.locator(".announcement-bar").boundingBox())!;
          expect(bar.y).toBe(0);
          expect(bar.width).toBe(width);
          expect(announcement.y).toBeGreaterThanOrEqual(bar.y + bar.height - 0.5);
          await expectHeaderUncovered(page, width, "at the top");

          // Scrolled: the bar goes with the page, the header sticks to the window's top.
          for (const y of [10, 30, 60, 120, 600]) {
            await page.evaluate((top) => window.scrollTo(0, top), y);
            await settleFrames(page);
            await expectHeaderUncovered(page, width, `scrolled ${y} px`);
          }
          const header = (await page.locator(".section-header").boundingBox())!;
          expect(header.y).toBe(0);
          await page.screenshot({
            path: path.join(STOREFRONT_ARTIFACTS, `flow-${placement}-${width}-scrolled.png`),
          });
          const shift = await layoutShift(page);
          expect(shift.cls, shift.shifts.join("; ")).toBe(0);
          expectNoPersonalizationRequests(requests);

          // Back at the top: one line whatever the width, its controls usable.
          await page.evaluate(() => window.scrollTo(0, 0));
          await settleFrames(page);
          const line = await expectOneLine(page);
          if (width === 360) expect(line.truncated, "the long message is cut with …").toBe(true);
          await expectControlsUsable(page, width);
          await page.screenshot({
            path: path.join(STOREFRONT_ARTIFACTS, `flow-${placement}-${width}-top.png`),
          });

          // The cart drawer opens over everything, the bar included.
          await page.locator("#cart-icon-bubble").click();
          const close = page.locator("cart-drawer .drawer__close");
          await expect.poll(() => close.isVisible()).toBe(true);
          await expect
            .poll(() =>
              close.evaluate((node) => {
                const box = node.getBoundingClientRect();
                return node.contains(
                  document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2),
                );
              }),
            )
            .toBe(true);
          await page.screenshot({
            path: path.join(STOREFRONT_ARTIFACTS, `flow-${placement}-${width}-drawer.png`),
          });
        } finally {
          await context.close();
        }
      });
    }
  }

  it("keeps the longest message and the free-shipping bar on one line at 360 px", async () => {
    for (const persona of ["champion", "guest-us", "near-free-shipping"]) {
      const { page, context } = await open(360, persona, "embed");
      try {
        await expectOneLine(page);
        await expectControlsUsable(page, 360);
        await expectHeaderUncovered(page, 360, persona);
        const shift = await layoutShift(page);
        expect(shift.cls, shift.shifts.join("; ")).toBe(0);
      } finally {
        await context.close();
      }
    }
  });

  it("shows one bar when the merchant turned on both the embed and the header block", async () => {
    const { page, context } = await open(1280, "lapsed", "both");
    try {
      expect(await page.locator("persegment-bar").count()).toBe(2);
      await expect.poll(() => page.locator("persegment-bar:visible").count()).toBe(1);
      expect(await page.locator("persegment-bar:visible").getAttribute("class")).toContain(
        "persegment-bar--block",
      );
      await expectHeaderUncovered(page, 1280, "with both on");
      const shift = await layoutShift(page);
      expect(shift.cls, shift.shifts.join("; ")).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("a dismissed header-block bar stays away on the next page, without moving the header", async () => {
    const { page, context } = await open(360, "lapsed", "block");
    try {
      await page.getByRole("button", { name: "Dismiss announcement" }).click();
      await expect.poll(() => page.locator("persegment-bar:visible").count()).toBe(0);
      await page.reload({ waitUntil: "load" });
      expect(await page.locator("persegment-bar").count()).toBe(1);
      expect(await page.locator("persegment-bar:visible").count()).toBe(0);
      expect((await page.locator(".announcement-bar").boundingBox())!.y).toBe(0);
      const shift = await layoutShift(page);
      expect(shift.cls, shift.shifts.join("; ")).toBe(0);
    } finally {
      await context.close();
    }
  });
});

// The web pixel's batches as the collector reads them (shape, limits, the shop's own bars), the
// shop's day they count on, the per-day table the results page shows, and the rate limit.
import { describe, expect, it } from "vitest";
import {
  barEngagement,
  BATCH_LIMITS,
  checkAgainstShop,
  parseBarEventBatch,
} from "~/domain/measurement/bar-events";
import { RateLimit } from "~/domain/rate-limit";
import { shopDay } from "~/domain/segments/periods";

const shop = "pixel-unit.myshopify.com";
const batch = (counts: unknown, extra: object = {}) => JSON.stringify({ shop, counts, ...extra });

describe("reading a batch", () => {
  it("accepts counts per bar and kind", () => {
    expect(
      parseBarEventBatch(
        batch([
          { barId: "bar1", kind: "impression", count: 1 },
          { barId: "bar1", kind: "click", count: 2 },
          { barId: "bar2", kind: "dismiss", count: 1 },
        ]),
      ),
    ).toEqual({
      ok: true,
      shop,
      counts: [
        { barId: "bar1", kind: "impression", count: 1 },
        { barId: "bar1", kind: "click", count: 2 },
        { barId: "bar2", kind: "dismiss", count: 1 },
      ],
    });
  });

  it.each([
    ["not JSON", "{", 400],
    ["an array", "[]", 400],
    [
      "a shop that is not a myshopify domain",
      JSON.stringify({ shop: "evil.com", counts: [] }),
      400,
    ],
    ["no counts", batch([]), 400],
    ["an unknown kind", batch([{ barId: "b", kind: "view", count: 1 }]), 400],
    ["a fractional count", batch([{ barId: "b", kind: "click", count: 1.5 }]), 400],
    ["a zero count", batch([{ barId: "b", kind: "click", count: 0 }]), 400],
    ["a count no page view makes", batch([{ barId: "b", kind: "click", count: 21 }]), 422],
    ["a bar id with markup", batch([{ barId: "<b>", kind: "click", count: 1 }]), 400],
    [
      "the same bar and kind twice",
      batch([
        { barId: "b", kind: "click", count: 1 },
        { barId: "b", kind: "click", count: 1 },
      ]),
      400,
    ],
    [
      "too many entries",
      batch(
        Array.from({ length: BATCH_LIMITS.entries + 1 }, (_, i) => ({
          barId: `b${i}`,
          kind: "impression",
          count: 1,
        })),
      ),
      400,
    ],
    [
      "too many bytes",
      batch([{ barId: "b", kind: "click", count: 1 }], { pad: "x".repeat(5000) }),
      413,
    ],
  ])("refuses %s", (_, text, status) => {
    const result = parseBarEventBatch(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.status).toBe(status);
      expect(result.error).not.toBe("");
    }
  });

  it("refuses an unknown or uninstalled shop, and a bar of another shop", () => {
    const parsed = parseBarEventBatch(batch([{ barId: "mine", kind: "impression", count: 1 }]));
    if (!parsed.ok) throw new Error("the batch is valid");
    const barIds = new Set(["mine"]);
    expect(checkAgainstShop(parsed, { installed: true, barIds })).toBeNull();
    expect(checkAgainstShop(parsed, null)?.status).toBe(404);
    expect(checkAgainstShop(parsed, { installed: false, barIds })?.status).toBe(404);
    expect(checkAgainstShop(parsed, { installed: true, barIds: new Set(["theirs"]) })).toEqual({
      status: 422,
      error: "The shop has no bar mine.",
    });
  });
});

describe("the shop's day", () => {
  it("is the calendar day in the shop's time zone", () => {
    const at = new Date("2026-12-07T03:30:00Z");
    expect(shopDay(at, "UTC")).toBe("2026-12-07");
    expect(shopDay(at, "America/New_York")).toBe("2026-12-06");
    expect(shopDay(new Date("2026-12-07T23:30:00Z"), "Asia/Tokyo")).toBe("2026-12-08");
  });
});

describe("a bar's engagement table", () => {
  it("adds up the rows per day, newest first, with the click-through rate per day and in total", () => {
    const table = barEngagement([
      { day: "2026-12-05", kind: "impression", count: 40 },
      { day: "2026-12-05", kind: "click", count: 2 },
      { day: "2026-12-06", kind: "impression", count: 60 },
      { day: "2026-12-06", kind: "click", count: 3 },
      { day: "2026-12-06", kind: "dismiss", count: 5 },
      { day: "2026-12-07", kind: "click", count: 1 },
    ]);
    expect(table.days).toEqual([
      { day: "2026-12-07", impressions: 0, clicks: 1, dismissals: 0, clickThrough: null },
      { day: "2026-12-06", impressions: 60, clicks: 3, dismissals: 5, clickThrough: 0.05 },
      { day: "2026-12-05", impressions: 40, clicks: 2, dismissals: 0, clickThrough: 0.05 },
    ]);
    expect(table.total).toEqual({ impressions: 100, clicks: 6, dismissals: 5, clickThrough: 0.06 });
  });

  it("has no rate without impressions", () => {
    expect(barEngagement([]).total).toEqual({
      impressions: 0,
      clicks: 0,
      dismissals: 0,
      clickThrough: null,
    });
  });
});

describe("the rate limit", () => {
  it("lets `limit` requests per key through in a window, then says how long to wait", () => {
    const limit = new RateLimit(2, 60_000);
    const start = Date.UTC(2026, 11, 7, 10, 0, 0);
    expect(limit.take("a", start)).toBeNull();
    expect(limit.take("a", start + 1000)).toBeNull();
    expect(limit.take("a", start + 15_000)).toBe(45);
    expect(limit.take("b", start + 15_000)).toBeNull();
    // The next window starts afresh.
    expect(limit.take("a", start + 60_000)).toBeNull();
  });
});

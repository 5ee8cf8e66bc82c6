// The web pixel's collector over real HTTP (app/routes/pixel.events.tsx): a good batch adds to the
// day's counts; bad input, an unknown shop and another shop's bar get a 4xx and change nothing;
// a visitor past the rate limit gets 429 while others go on; the CORS preflight lets any
// storefront post without credentials; the bar's results page reads the stored counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEFAULT_BAR, validateBar } from "~/domain/storefront/bars";
import { BATCHES_PER_VISITOR_MINUTE } from "~/measurement/bar-events.server";
import { saveBar } from "~/models/bars.server";
import { markUninstalled, recordInstall, recordShopLocale } from "~/models/shop.server";
import { loader as resultsLoader } from "~/routes/app.storefront_.bars.$id_.results";
import * as route from "~/routes/pixel.events";
import { serveRoute } from "../../support/route-server";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";

const shop = testShop("pixel-events");
const otherShop = testShop("pixel-events-other");
const goneShop = testShop("pixel-events-gone");
let server: Awaited<ReturnType<typeof serveRoute>>;
let barId: string;
let otherBarId: string;
let visitor = 0;

/** Posts a batch as the pixel does (a text body: no preflight), from its own visitor address. */
function post(body: unknown, address = `203.0.113.${++visitor}`) {
  return fetch(server.url, {
    method: "POST",
    headers: {
      "Content-Type": "text/plain;charset=UTF-8",
      Origin: "https://shop.example",
      "X-Forwarded-For": address,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const counts = async (forShop = shop) =>
  Object.fromEntries(
    (
      await prisma.barEventDay.findMany({ where: { shop: forShop }, orderBy: [{ kind: "asc" }] })
    ).map((row) => [`${row.barId} ${row.day} ${row.kind}`, row.count]),
  );

beforeAll(async () => {
  await recordInstall(shop, "");
  await recordShopLocale(shop, { ianaTimezone: "Pacific/Kiritimati", currencyCode: "USD" });
  await recordInstall(otherShop, "");
  await recordInstall(goneShop, "");
  const bar = (forShop: string, name: string) =>
    prisma.bar.create({ data: { shop: forShop, name, config: "{}" } });
  await storeOfflineSession(shop);
  const welcome = validateBar({ ...DEFAULT_BAR, name: "Welcome", messages: { en: "Hello" } }, []);
  if (!welcome.ok) throw new Error(JSON.stringify(welcome.errors));
  barId = (await saveBar(shop, welcome.value))!.id;
  otherBarId = (await bar(otherShop, "Theirs")).id;
  await bar(goneShop, "Gone");
  await markUninstalled(goneShop);
  server = await serveRoute("/pixel/events", route);
});

afterAll(() => server?.close());

describe("the pixel's collector", () => {
  it("adds a good batch to the counts of the shop's day, batch after batch", async () => {
    // Kiritimati is UTC+14: its day is the UTC day or the next.
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Kiritimati" }).format(
      new Date(),
    );
    const first = await post({
      shop,
      counts: [
        { barId, kind: "impression", count: 1 },
        { barId, kind: "click", count: 1 },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    expect(await first.json()).toEqual({ stored: 2 });
    const second = await post({
      shop,
      counts: [
        { barId, kind: "impression", count: 2 },
        { barId, kind: "dismiss", count: 1 },
      ],
    });
    expect(second.status).toBe(200);
    expect(await counts()).toEqual({
      [`${barId} ${day} click`]: 1,
      [`${barId} ${day} dismiss`]: 1,
      [`${barId} ${day} impression`]: 3,
    });
  });

  it.each([
    ["not JSON", "{oops", 400],
    ["an unknown kind", { shop, counts: [{ barId: "x", kind: "view", count: 1 }] }, 400],
    ["a negative count", { shop, counts: [{ barId: "x", kind: "click", count: -3 }] }, 400],
    [
      "a count no page view makes",
      { shop, counts: [{ barId: "x", kind: "click", count: 500 }] },
      422,
    ],
    ["no counts", { shop, counts: [] }, 400],
    ["a megabyte of body", JSON.stringify({ shop, counts: [], pad: "x".repeat(1_000_000) }), 413],
  ])("refuses %s with a 4xx and stores nothing", async (_, body, status) => {
    const before = await counts();
    const response = await post(body);
    expect(response.status).toBe(status);
    expect((await response.json()).error).toEqual(expect.any(String));
    expect(await counts()).toEqual(before);
  });

  it("refuses another shop's bar, an unknown shop and an uninstalled one, storing nothing", async () => {
    const before = await counts();
    const mixed = await post({
      shop,
      counts: [
        { barId, kind: "impression", count: 1 },
        { barId: otherBarId, kind: "click", count: 1 },
      ],
    });
    expect(mixed.status).toBe(422);
    expect((await mixed.json()).error).toBe(`The shop has no bar ${otherBarId}.`);
    const unknown = await post({
      shop: "nobody-here.myshopify.com",
      counts: [{ barId, kind: "impression", count: 1 }],
    });
    expect(unknown.status).toBe(404);
    const gone = await post({ shop: goneShop, counts: [{ barId, kind: "impression", count: 1 }] });
    expect(gone.status).toBe(404);
    expect(await counts()).toEqual(before);
    expect(await counts(otherShop)).toEqual({});
    expect(await counts(goneShop)).toEqual({});
  });

  it("answers a visitor past the rate limit with 429 and Retry-After, and no one else", async () => {
    const batch = { shop, counts: [{ barId, kind: "impression", count: 1 }] };
    // The limit counts per clock minute: a run that straddles one is run again in the next.
    for (let attempt = 0; attempt < 2; attempt++) {
      const address = `198.51.100.${attempt + 1}`;
      const minute = Math.floor(Date.now() / 60_000);
      const statuses: number[] = [];
      let refused: Response | undefined;
      for (let i = 0; i <= BATCHES_PER_VISITOR_MINUTE; i++) {
        const response = await post(batch, address);
        statuses.push(response.status);
        if (response.status === 429) refused = response;
      }
      if (Math.floor(Date.now() / 60_000) !== minute) continue;
      expect(statuses.filter((status) => status === 200)).toHaveLength(BATCHES_PER_VISITOR_MINUTE);
      expect(statuses.at(-1)).toBe(429);
      expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThan(0);
      // Another visitor of the same shop is not held back.
      expect((await post(batch)).status).toBe(200);
      return;
    }
    throw new Error("two runs in a row straddled a minute");
  });

  it("answers the CORS preflight of a JSON post from a storefront", async () => {
    const preflight = await fetch(server.url, {
      method: "OPTIONS",
      headers: {
        Origin: "https://shop.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/content-type/i);
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const get = await fetch(server.url);
    expect(get.status).toBe(405);
  });

  it("shows the counts on the bar's results page, per day and in total", async () => {
    const page = await resultsLoader({
      request: await adminRequest(shop, `/app/storefront/bars/${barId}/results`),
      params: { id: barId },
      context: {},
    });
    const stored = await prisma.barEventDay.findMany({ where: { shop, barId } });
    const sum = (kind: string) =>
      stored.filter((row) => row.kind === kind).reduce((total, row) => total + row.count, 0);
    expect(page.engagement.total).toEqual({
      impressions: sum("impression"),
      clicks: sum("click"),
      dismissals: sum("dismiss"),
      clickThrough: sum("click") / sum("impression"),
    });
    expect(page.engagement.total.clicks).toBe(1);
    expect(page.engagement.days.map((day) => day.day)).toEqual([
      ...new Set(stored.map((row) => row.day)),
    ]);
  });
});

// The bar editor against the Shopify stand-in: the shop's languages and time zone read through
// the gateway, save and delete with the republish that follows, and scheduled bars switching in
// the storefront within the stated bound, with the app's and the stand-in's clocks moved together.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { InProcessJobs } from "~/jobs/in-process.server";
import { createPipeline } from "~/pipeline.server";
import { BARS_METAFIELD, type PublishedBars } from "~/domain/storefront/published";
import { chooseBar } from "~/domain/storefront/selection";
import { recordInstall } from "~/models/shop.server";
import { action as barAction, loader as barLoader } from "~/routes/app.storefront_.bars.$id";
import { loader as overviewLoader } from "~/routes/app.storefront";
import { BOUNDARY_BOUND_SECONDS } from "~/storefront/jobs.server";
import { startStandIn, Store } from "@persegment/shopify-stand-in";
import { responseOf } from "../../support/responses";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";

const shop = testShop("bar-editor");
let standIn: Awaited<ReturnType<typeof startStandIn>>;

async function post(path: string, fields: [string, string][]) {
  const signed = await adminRequest(shop, path);
  const body = new FormData();
  for (const [name, value] of fields) body.append(name, value);
  return new Request(signed.url, { method: "POST", body, headers: signed.headers });
}

const loadEditor = async (id: string) =>
  barLoader({
    request: await adminRequest(shop, `/app/storefront/bars/${id}`),
    params: { id },
    context: {},
  });

const saveBar = async (id: string, fields: [string, string][]) =>
  responseOf(async () =>
    barAction({
      request: await post(`/app/storefront/bars/${id}`, fields),
      params: { id },
      context: {},
    }),
  );

function barsMetafield() {
  return [...standIn.store.metafields.values()].find(
    (entry) => entry.namespace === BARS_METAFIELD.namespace && entry.key === BARS_METAFIELD.key,
  );
}

const barFields = (overrides: Record<string, string> = {}): [string, string][] =>
  Object.entries({
    name: "Winter sale",
    enabled: "on",
    priority: "10",
    kind: "message",
    defaultLocale: "en",
    "message.en": "Winter sale: 20% off",
    "message.de": "Winterschlussverkauf: 20 % Rabatt",
    link: "",
    background: "#1a1a1a",
    text: "#ffffff",
    visitors: "everyone",
    segmentMode: "all",
    countryMode: "all",
    timeZone: "Europe/Berlin",
    holdoutPercent: "10",
    ...overrides,
  });

beforeAll(async () => {
  const session = await storeOfflineSession(shop);
  await recordInstall(shop, "");
  const store = new Store({
    name: "Bar editor test",
    domain: shop,
    currencyCode: "EUR",
    ianaTimezone: "Europe/Berlin",
    plusPlan: false,
    locales: [
      { locale: "de", name: "German", primary: false, published: true },
      { locale: "en", name: "English", primary: true, published: true },
      { locale: "fr", name: "French", primary: false, published: false },
    ],
  });
  standIn = await startStandIn({
    shop,
    accessToken: session.accessToken!,
    apiSecret: "testApiSecretKey",
    store,
    apiKey: "testApiKey",
  });
  vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
  await prisma.segment.createMany({
    data: [
      { shop, handle: "champions", name: "Champions", kind: "rfm", tagEnabled: true },
      { shop, handle: "vip", name: "VIP", kind: "lifecycle", tagEnabled: false },
    ],
  });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await standIn?.close();
});

describe("bar editor in the shop's terms", () => {
  it("offers a message field per published language, primary first, and times in the shop's zone", async () => {
    const editor = await loadEditor("new");
    expect(editor.timeZone).toBe("Europe/Berlin");
    expect(editor.locales).toEqual([
      { locale: "en", name: "English", published: true },
      { locale: "de", name: "German", published: true },
    ]);
    expect(Object.keys(editor.fields).filter((name) => name.startsWith("message."))).toEqual([
      "message.en",
      "message.de",
    ]);
    expect(editor.localesProblem).toBeNull();
  });

  it("stores a start typed in the shop's zone as the right instant, and shows it back so", async () => {
    const response = await saveBar("new", barFields({ startsAt: "2030-07-01T09:00" }));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/app/storefront?done=saved");
    const bar = await prisma.bar.findFirstOrThrow({ where: { shop, name: "Winter sale" } });
    expect(JSON.parse(bar.config).schedule.startsAt).toBe("2030-07-01T07:00:00.000Z");
    const editor = await loadEditor(bar.id);
    expect(editor.fields.startsAt).toBe("2030-07-01T09:00");
    expect(editor.status).toBe("scheduled");
    expect(JSON.parse(barsMetafield()!.value).bars[0].starts_at).toBe(
      Date.parse("2030-07-01T07:00:00Z") / 1000,
    );
  });

  it("refuses 'only these segments' with none chosen, and changes nothing", async () => {
    const bar = await prisma.bar.findFirstOrThrow({ where: { shop, name: "Winter sale" } });
    const before = barsMetafield()!.value;
    const response = await saveBar(bar.id, barFields({ segmentMode: "segments", name: "Changed" }));
    expect(response.status).toBe(400);
    expect((await response.json()).errors.segments).toMatch(/Choose at least one segment/);
    expect((await prisma.bar.findUniqueOrThrow({ where: { id: bar.id } })).name).toBe(
      "Winter sale",
    );
    expect(barsMetafield()!.value).toBe(before);
  });

  it("lists an ended bar as Ended and a future one as Scheduled", async () => {
    await saveBar(
      "new",
      barFields({ name: "Old sale", startsAt: "2020-01-01T00:00", endsAt: "2020-02-01T00:00" }),
    );
    const page = await overviewLoader({
      request: await adminRequest(shop, "/app/storefront"),
      params: {},
      context: {},
    });
    const status = Object.fromEntries(page.bars.map((bar) => [bar.name, bar.status]));
    expect(status).toMatchObject({ "Old sale": "ended", "Winter sale": "scheduled" });
  });

  it("deletes a bar and republishes without it", async () => {
    const bar = await prisma.bar.findFirstOrThrow({ where: { shop, name: "Old sale" } });
    expect(
      JSON.parse(barsMetafield()!.value).bars.map((entry: { id: string }) => entry.id),
    ).toContain(bar.id);
    const response = await saveBar(bar.id, [["intent", "delete"]]);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/app/storefront?done=deleted");
    expect(await prisma.bar.findUnique({ where: { id: bar.id } })).toBeNull();
    expect(
      JSON.parse(barsMetafield()!.value).bars.map((entry: { id: string }) => entry.id),
    ).not.toContain(bar.id);
  });
});

describe("holdouts", () => {
  it("places each bar's holdout beside the others', offers what is left, and refuses more, changing nothing", async () => {
    // "Winter sale" holds out 10 %, from slot 0.
    expect(
      (await saveBar("new", barFields({ name: "Half out", holdoutPercent: "50" }))).status,
    ).toBe(302);
    expect((await saveBar("new", barFields({ name: "Third", holdoutPercent: "35" }))).status).toBe(
      302,
    );
    const published = () =>
      Object.fromEntries(
        (JSON.parse(barsMetafield()!.value) as PublishedBars).bars.map((bar) => [
          bar.id,
          [bar.holdout_percent, bar.holdout_start],
        ]),
      );
    const ids = Object.fromEntries(
      (await prisma.bar.findMany({ where: { shop } })).map((bar) => [bar.name, bar.id]),
    );
    expect(published()).toEqual({
      [ids["Winter sale"]]: [10, 0],
      [ids["Half out"]]: [50, 10],
      [ids.Third]: [35, 60],
    });
    expect((await loadEditor("new")).fields.holdoutPercent).toBe("5");
    const before = barsMetafield()!.value;
    const refused = await saveBar("new", barFields({ name: "Too much", holdoutPercent: "6" }));
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.holdoutPercent).toMatch(/leave room for 5 % here/);
    expect(await prisma.bar.count({ where: { shop } })).toBe(3);
    expect(barsMetafield()!.value).toBe(before);
    // Saved again unchanged, a bar keeps its place and the day its holdout began; turning a
    // holdout off frees its place.
    const holdoutOf = async (name: string) =>
      JSON.parse((await prisma.bar.findFirstOrThrow({ where: { shop, name } })).config).holdout;
    const since = (await holdoutOf("Third")).since;
    expect(Date.parse(since)).toBeGreaterThan(Date.now() - 60_000);
    expect(
      (await saveBar(ids.Third, barFields({ name: "Third", holdoutPercent: "35" }))).status,
    ).toBe(302);
    expect(
      (await saveBar(ids["Half out"], barFields({ name: "Half out", holdoutPercent: "0" }))).status,
    ).toBe(302);
    expect(published()).toEqual({
      [ids["Winter sale"]]: [10, 0],
      [ids["Half out"]]: [0, 0],
      [ids.Third]: [35, 60],
    });
    expect(await holdoutOf("Third")).toEqual({ percent: 35, start: 60, since });
    expect(await holdoutOf("Half out")).toEqual({ percent: 0, start: null, since: null });
    expect((await loadEditor("new")).fields.holdoutPercent).toBe("10");
  });
});

describe("scheduled bars switch within the stated bound despite page caching", () => {
  it("republishes after a bar's start and end, so Shopify holds a write made after each", async () => {
    await prisma.bar.deleteMany({ where: { shop } });
    // The app's clock (Date) and the stand-in's clock (the time of its writes) move together.
    let now = Date.parse("2031-03-02T08:50:00Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    const setClock = (at: number) => {
      now = at;
      vi.setSystemTime(at);
    };
    setClock(now);
    standIn.store.clock = () => now;
    const T = Date.parse("2031-03-02T09:00:00Z");
    const end = T + 3600_000;
    // Berlin is UTC+1 in March: the merchant types 10:00 to 11:00.
    const saved = await saveBar(
      "new",
      barFields({ name: "Flash sale", startsAt: "2031-03-02T10:00", endsAt: "2031-03-02T11:00" }),
    );
    expect(saved.status).toBe(302);
    const firstWrite = barsMetafield()!.updatedAt;
    expect(firstWrite).toBe(Date.parse("2031-03-02T08:50:00Z"));

    let engine!: InProcessJobs;
    const pipeline = createPipeline((jobs) => (engine = new InProcessJobs(jobs)));
    const tick = async (at: number) => {
      setClock(at);
      await pipeline.jobs.send("schedule.bar-boundaries", {});
      await engine.runWaiting("schedule.bar-boundaries");
      const due = engine.waitingKeys("storefront.boundary");
      await engine.runWaiting("storefront.boundary");
      return due.includes(shop);
    };
    const shownAt = (at: number) =>
      chooseBar(
        JSON.parse(barsMetafield()!.value) as PublishedBars,
        { customerTags: null, country: "DE", locale: "en", cartCurrency: "EUR", cartTotalCents: 0 },
        new Date(at),
      )?.text ?? null;

    try {
      // Before the start nothing is due: no write.
      expect(await tick(T - 60_000)).toBe(false);
      expect(barsMetafield()!.updatedAt).toBe(firstWrite);
      // The check runs every minute: the first run after T republishes.
      expect(await tick(T + 60_000)).toBe(true);
      const startWrite = barsMetafield()!.updatedAt;
      expect(startWrite).toBeGreaterThan(T);
      expect(startWrite).toBeLessThanOrEqual(T + BOUNDARY_BOUND_SECONDS * 1000);
      expect(JSON.parse(barsMetafield()!.value).boundary).toBe(T / 1000);
      expect(shownAt(startWrite)).toBe("Winter sale: 20% off");
      // Once republished, the next minutes write nothing until the end.
      expect(await tick(T + 120_000)).toBe(false);
      expect(barsMetafield()!.updatedAt).toBe(startWrite);
      // The end: republished within the bound, and the bar is no longer chosen.
      expect(await tick(end + 60_000)).toBe(true);
      const endWrite = barsMetafield()!.updatedAt;
      expect(endWrite).toBeGreaterThan(end);
      expect(endWrite).toBeLessThanOrEqual(end + BOUNDARY_BOUND_SECONDS * 1000);
      expect(JSON.parse(barsMetafield()!.value).boundary).toBe(end / 1000);
      expect(shownAt(endWrite)).toBeNull();
    } finally {
      await pipeline.jobs.stop();
      standIn.store.clock = () => Date.now();
    }
  });
});

describe("without the read_locales permission", () => {
  it("still opens the editor, in UTC with the bar's own languages, and says why", async () => {
    const other = testShop("bar-editor-scopes");
    const session = await storeOfflineSession(other);
    await recordInstall(other, "");
    const limited = await startStandIn({
      shop: other,
      accessToken: session.accessToken!,
      apiSecret: "testApiSecretKey",
      apiKey: "testApiKey",
      scopes: ["read_customers", "write_customers", "read_products", "write_products"],
    });
    vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", limited.origin);
    try {
      const editor = await barLoader({
        request: await adminRequest(other, "/app/storefront/bars/new"),
        params: { id: "new" },
        context: {},
      });
      expect(editor.timeZone).toBe("UTC");
      expect(editor.locales).toEqual([{ locale: "en", name: "English", published: true }]);
      expect(editor.localesProblem).toMatch(/read_locales/);
    } finally {
      vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
      await limited.close();
    }
  });
});

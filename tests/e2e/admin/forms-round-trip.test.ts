// Every admin form round-trips: a merchant who opens a form and saves it without touching anything
// changes nothing. The real pipeline fills a small store (scripts/demo), the built app runs behind
// the local admin with genuine session tokens, and headless Chromium opens each form in the admin's
// iframe and clicks Save. The shop's stored state (complete rows of every table a form can write,
// including what was last published to Shopify) must be identical before and after.
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { barConfig, DEFAULT_BAR } from "~/domain/storefront/bars";
import { setUpDemoAdmin, STILL_SHOP_SCHEDULES } from "../../support/demo-admin";

// The app's own work (the 5-minute tag write, the hourly recompute…) would move the shop between
// two snapshots; here only the forms may.
const e2e = setUpDemoAdmin({ customers: 300, schedules: STILL_SHOP_SCHEDULES });
const { openAppFrame } = e2e;

/** Rows as text, dates and big integers included, so a comparison shows exactly what moved. */
const rowsAsText = (rows: object[]) =>
  rows.map((row) =>
    JSON.stringify(row, (_key, value: unknown) =>
      typeof value === "bigint" ? `${value}n` : value,
    ),
  );

/** Every row of the shop in each table an admin form (or the republish after it) can write. */
async function shopState(shop: string) {
  const where = { shop };
  return {
    Shop: rowsAsText(await prisma.shop.findMany({ where: { domain: shop } })),
    Bar: rowsAsText(await prisma.bar.findMany({ where, orderBy: { id: "asc" } })),
    Segment: rowsAsText(await prisma.segment.findMany({ where, orderBy: { id: "asc" } })),
    SegmentMember: rowsAsText(
      await prisma.segmentMember.findMany({
        where,
        orderBy: [{ segmentId: "asc" }, { customerId: "asc" }],
      }),
    ),
    SegmentEvent: rowsAsText(await prisma.segmentEvent.findMany({ where, orderBy: { id: "asc" } })),
    SegmentDailyStat: rowsAsText(
      await prisma.segmentDailyStat.findMany({
        where,
        orderBy: [{ segmentId: "asc" }, { day: "asc" }],
      }),
    ),
    TagLedger: rowsAsText(
      await prisma.tagLedger.findMany({ where, orderBy: [{ customerId: "asc" }, { tag: "asc" }] }),
    ),
    UpsellOverride: rowsAsText(
      await prisma.upsellOverride.findMany({ where, orderBy: { productId: "asc" } }),
    ),
    Recommendation: rowsAsText(
      await prisma.recommendation.findMany({
        where,
        orderBy: [{ productId: "asc" }, { recommendedId: "asc" }],
      }),
    ),
    PublishedMetafield: rowsAsText(
      await prisma.publishedMetafield.findMany({
        where,
        orderBy: [{ ownerId: "asc" }, { namespace: "asc" }, { key: "asc" }],
      }),
    ),
  };
}

/** Clicks a button and returns the POST it makes to `path` (with `intent` in its body, if given). */
async function clickAndPost(frame: Frame, buttonName: string, path: string, intent?: string) {
  const posted = frame
    .page()
    .waitForResponse(
      (response) =>
        response.request().method() === "POST" &&
        new URL(response.url()).pathname.startsWith(path) &&
        (!intent || (response.request().postData() ?? "").includes(`intent=${intent}`)),
      { timeout: 30_000 },
    );
  await frame.getByRole("button", { name: buttonName, exact: true }).click();
  return posted;
}

/** Where the app's frame is now (it follows the app's redirects). */
const framePath = (frame: Frame) => new URL(frame.url()).pathname;

async function barIdNamed(name: string) {
  const bar = await prisma.bar.findFirstOrThrow({ where: { shop: e2e.demo.shop, name } });
  return bar.id;
}

/** Opens a bar in the editor, checks it shows the stored bar, saves it, and waits for the redirect. */
async function saveBarUnchanged(id: string, options: { toggleShow?: boolean } = {}) {
  const stored = await prisma.bar.findUniqueOrThrow({ where: { id } });
  const frame = await openAppFrame(`/app/storefront/bars/${id}`);
  const name = frame.getByLabel("Name (only you see it)");
  await expect.poll(() => name.inputValue(), { timeout: 30_000 }).toBe(stored.name);
  const show = frame.getByRole("checkbox", { name: "Show this bar" });
  expect(await show.isChecked()).toBe(stored.enabled);
  if (options.toggleShow) await show.click();
  const response = await clickAndPost(frame, "Save", `/app/storefront/bars/${id}`);
  expect(response.status()).toBeLessThan(300);
  // Saved and published: the editor hands back to the Storefront page (a publish failure or a
  // validation error would keep the editor open with a banner).
  await expect.poll(() => framePath(frame), { timeout: 30_000 }).toBe("/app/storefront");
}

describe("admin forms saved unchanged change nothing", () => {
  it("top bar editor: an enabled bar with a segment audience", async () => {
    const id = await barIdNamed("We miss you");
    const before = await shopState(e2e.demo.shop);
    expect(before.Bar.find((row) => row.includes(id))).toContain('"enabled":true');
    await saveBarUnchanged(id);
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  it("top bar editor: a free-shipping bar with countries and market thresholds", async () => {
    const id = await barIdNamed("Free shipping");
    const before = await shopState(e2e.demo.shop);
    await saveBarUnchanged(id);
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  it("top bar editor: a scheduled bar", async () => {
    const id = await barIdNamed("Ended flash sale");
    const before = await shopState(e2e.demo.shop);
    expect(before.Bar.find((row) => row.includes(id))).toContain("startsAt");
    await saveBarUnchanged(id);
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  it("top bar editor: a bar switched off", async () => {
    const id = await barIdNamed("Champions thank-you");
    // The merchant switches the bar off in the editor (and it is published so).
    await saveBarUnchanged(id, { toggleShow: true });
    expect((await prisma.bar.findUniqueOrThrow({ where: { id } })).enabled).toBe(false);
    const before = await shopState(e2e.demo.shop);
    await saveBarUnchanged(id);
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  it("top bar editor, new: saving the defaults with a name and message stores what the form showed", async () => {
    const before = await shopState(e2e.demo.shop);
    const frame = await openAppFrame("/app/storefront/bars/new");
    const name = frame.getByLabel("Name (only you see it)");
    await name.waitFor({ timeout: 30_000 });
    expect(await frame.getByRole("checkbox", { name: "Show this bar" }).isChecked()).toBe(true);
    await name.fill("Round trip welcome");
    await frame.getByLabel("Message (English)").fill("Welcome to the shop");
    const response = await clickAndPost(frame, "Save", "/app/storefront/bars/new");
    expect(response.status()).toBeLessThan(300);
    await expect.poll(() => framePath(frame), { timeout: 30_000 }).toBe("/app/storefront");
    const created = await prisma.bar.findFirstOrThrow({
      where: { shop: e2e.demo.shop, name: "Round trip welcome" },
    });
    expect(created).toMatchObject({ enabled: true, priority: DEFAULT_BAR.priority });
    // The default holdout, placed by the app beside the demo bars' and dated.
    expect(JSON.parse(created.config)).toEqual(
      barConfig({
        ...DEFAULT_BAR,
        messages: { en: "Welcome to the shop" },
        holdout: { ...DEFAULT_BAR.holdout, start: expect.any(Number), since: expect.any(String) },
      }),
    );
    // Only the new bar was added, and the bars metafield republished with it.
    const after = await shopState(e2e.demo.shop);
    expect(after.Bar.filter((row) => !row.includes(created.id))).toEqual(before.Bar);
    const isBars = (row: string) => row.includes('"key":"bars"');
    expect(after.PublishedMetafield.filter((row) => !isBars(row))).toEqual(
      before.PublishedMetafield.filter((row) => !isBars(row)),
    );
    expect({ ...after, Bar: [], PublishedMetafield: [] }).toEqual({
      ...before,
      Bar: [],
      PublishedMetafield: [],
    });
  });

  async function saveSettingsUnchanged() {
    const frame = await openAppFrame("/app/settings");
    await frame.getByLabel("Tag prefix").waitFor({ timeout: 30_000 });
    const response = await clickAndPost(frame, "Save", "/app/settings");
    expect(response.status()).toBe(200);
    await frame
      .getByText("Settings saved. Segments use them from the next recompute.")
      .waitFor({ timeout: 30_000 });
  }

  it("settings: never saved before (the defaults)", async () => {
    const before = await shopState(e2e.demo.shop);
    await saveSettingsUnchanged();
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  it("settings: fractional percentages at the edges", async () => {
    await prisma.shop.update({
      where: { domain: e2e.demo.shop },
      data: {
        settings: JSON.stringify({
          tagPrefix: "seg-",
          newBuyerDays: 45,
          lapsedDays: 120,
          vipPercentile: 0.999,
          discountSeekerShare: 0.375,
        }),
      },
    });
    const before = await shopState(e2e.demo.shop);
    await saveSettingsUnchanged();
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  it("segment editor, new: saving the starter rule with only a name stores what the form showed", async () => {
    const before = await shopState(e2e.demo.shop);
    const frame = await openAppFrame("/app/segments/new");
    await frame.getByLabel("Name").waitFor({ timeout: 30_000 });
    await frame.getByRole("button", { name: "JSON", exact: true }).click();
    const shown = JSON.parse(await frame.getByLabel("Rule as JSON").inputValue()) as unknown;
    await frame.getByLabel("Name").fill("Round trip regulars");
    const response = await clickAndPost(frame, "Save segment", "/app/segments/new", "save");
    expect(response.status()).toBe(200);
    await expect
      .poll(() => framePath(frame), { timeout: 30_000 })
      .toBe("/app/segments/round-trip-regulars");
    const created = await prisma.segment.findUniqueOrThrow({
      where: { shop_handle: { shop: e2e.demo.shop, handle: "round-trip-regulars" } },
    });
    expect(created).toMatchObject({ name: "Round trip regulars", description: "", kind: "custom" });
    expect(JSON.parse(created.rule ?? "null")).toEqual(shown);
    // Everything else is as it was: only the new segment's own rows were added.
    const after = await shopState(e2e.demo.shop);
    const others = (state: typeof after) =>
      Object.fromEntries(
        Object.entries(state).map(([table, rows]) => [
          table,
          rows.filter((row) => !row.includes(created.id)),
        ]),
      );
    expect(others(after)).toEqual(before);
  });

  it("segment editor, edit: a nested rule shown in the rule builder", async () => {
    const rule = {
      or: [
        {
          and: [
            { field: "frequency", op: ">=", value: 2 },
            { not: { field: "country", op: "in", value: ["US", "CA"] } },
          ],
        },
        { field: "tags", op: "has_any", value: ["vip", "wholesale"] },
        { field: "monetary", op: ">", value: 25050 },
      ],
    };
    // The merchant writes the rule as JSON in a new segment and saves it.
    const create = await openAppFrame("/app/segments/new");
    await create.getByLabel("Name").waitFor({ timeout: 30_000 });
    await create.getByLabel("Name").fill("Round trip nested");
    await create.getByLabel("Description").fill("Frequent buyers outside North America, or tagged");
    await create.getByRole("button", { name: "JSON", exact: true }).click();
    await create.getByLabel("Rule as JSON").fill(JSON.stringify(rule));
    const created = await clickAndPost(create, "Save segment", "/app/segments/new", "save");
    expect(created.status()).toBe(200);
    await expect
      .poll(() => framePath(create), { timeout: 30_000 })
      .toBe("/app/segments/round-trip-nested");

    const before = await shopState(e2e.demo.shop);
    const frame = await openAppFrame("/app/segments/round-trip-nested");
    await frame.getByText("Edit rule").waitFor({ timeout: 30_000 });
    const response = await clickAndPost(
      frame,
      "Save changes",
      "/app/segments/round-trip-nested",
      "save",
    );
    expect(response.status()).toBe(200);
    await frame.getByText("Segment saved").waitFor({ timeout: 30_000 });
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  it("upsell editor: pinned and excluded products", async () => {
    const recommendations = await prisma.recommendation.findMany({
      where: { shop: e2e.demo.shop },
      orderBy: [{ productId: "asc" }, { rank: "asc" }],
    });
    const picks = new Map<string, string[]>();
    for (const row of recommendations)
      picks.set(row.productId, [...(picks.get(row.productId) ?? []), row.recommendedId]);
    const [productId, computed] = [...picks].sort((a, b) => b[1].length - a[1].length)[0];
    expect(computed.length).toBeGreaterThanOrEqual(3);
    const others = await prisma.product.findMany({
      where: { shop: e2e.demo.shop, status: "ACTIVE", id: { notIn: [productId, ...computed] } },
      orderBy: { id: "asc" },
      take: 3,
    });
    // Known overrides: two pins (not in id order), two computed picks excluded against their
    // rank order, and one excluded product that is not among the computed picks.
    await prisma.upsellOverride.create({
      data: {
        shop: e2e.demo.shop,
        productId,
        pinned: [others[1].id, others[0].id].join(","),
        excluded: [computed[2], computed[0], others[2].id].join(","),
      },
    });
    const path = `/app/storefront/upsells/${productId.split("/").pop()}`;
    const save = async () => {
      const frame = await openAppFrame(path);
      await frame.getByText("Pinned (shown first, in this order)").waitFor({ timeout: 30_000 });
      await expect
        .poll(() => frame.getByRole("checkbox", { name: "Never show" }).count())
        .toBe(computed.length);
      const response = await clickAndPost(frame, "Save", path);
      expect(response.status()).toBeLessThan(300);
      await expect.poll(() => framePath(frame), { timeout: 30_000 }).toBe("/app/storefront");
    };
    // The first save publishes the overrides written above; the second is the round trip.
    await save();
    const before = await shopState(e2e.demo.shop);
    expect(before.UpsellOverride.join()).toContain(productId);
    await save();
    expect(await shopState(e2e.demo.shop)).toEqual(before);
  });

  /**
   * The Tags page's switches are commands, not a form of values, so their round trip is the
   * repeat: the same switch sent again (a second tab still showing it, a double submit) must
   * change nothing.
   */
  async function switchTaggingTwice(handle: string, button: "Tag customers" | "Turn off") {
    const segment = await prisma.segment.findUniqueOrThrow({
      where: { shop_handle: { shop: e2e.demo.shop, handle } },
    });
    const tabs = [await openAppFrame("/app/tags"), await openAppFrame("/app/tags")];
    const states = [];
    for (const frame of tabs) {
      const row = frame.getByRole("row").filter({ hasText: segment.name });
      const posted = frame
        .page()
        .waitForResponse(
          (response) =>
            response.request().method() === "POST" &&
            new URL(response.url()).pathname.startsWith("/app/tags"),
          { timeout: 30_000 },
        );
      await row.getByRole("button", { name: button, exact: true }).click({ timeout: 30_000 });
      expect((await posted).status()).toBe(200);
      const message =
        button === "Tag customers"
          ? `${segment.name} will be tagged`
          : `${segment.name} is no longer tagged`;
      await frame.getByText(message).waitFor({ timeout: 30_000 });
      states.push(await shopState(e2e.demo.shop));
    }
    expect((await prisma.segment.findUniqueOrThrow({ where: { id: segment.id } })).tagEnabled).toBe(
      button === "Tag customers",
    );
    expect(states[1]).toEqual(states[0]);
  }

  it("tags page: 'Tag customers' sent twice", async () => {
    const off = await prisma.segment.findFirstOrThrow({
      where: { shop: e2e.demo.shop, tagEnabled: false, kind: { not: "custom" } },
      orderBy: { handle: "asc" },
    });
    await switchTaggingTwice(off.handle, "Tag customers");
  });

  it("tags page: 'Turn off' sent twice", async () => {
    await switchTaggingTwice("repeat", "Turn off");
  });
});

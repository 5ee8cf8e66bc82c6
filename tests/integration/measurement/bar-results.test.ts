// A bar's results (PRODUCT.md §8) from the database, for a small hand-built shop: the audience is
// the customers in the bar's segment at some moment of its window (today's members, those who
// joined during it, those who left during it; not those who left before it), held out as the
// storefront's real Liquid holds them out, and their counted orders in the window (cancelled,
// test, earlier and other customers' orders left out). Every number of the report is compared with
// one counted here from the rows directly; the results page serves the same numbers.
import { beforeAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { shareDifferenceInterval } from "~/domain/measurement/intervals";
import { validateBar, withPlacedHoldout, DEFAULT_BAR } from "~/domain/storefront/bars";
import { barResults } from "~/measurement/bar-lift.server";
import { listBars, saveBar } from "~/models/bars.server";
import { listSegments } from "~/models/segments.server";
import { recordInstall, recordShopLocale } from "~/models/shop.server";
import { buildStorefrontPublication } from "~/storefront/publish.server";
import { loader as resultsLoader } from "~/routes/app.storefront_.bars.$id_.results";
import { topBarRenderer, type Persona } from "@persegment/storefront-preview";
import { responseOf } from "../../support/responses";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { customerGid, insertCustomers, insertOrders, orderGid } from "../../support/store-rows";

const DAY = 86_400_000;
const shop = testShop("bar-results");
const now = new Date();
/** The holdout was set 20 days ago; the schedule starts a day later: the window's start. */
const saved = new Date(now.getTime() - 20 * DAY);
const from = new Date(saved.getTime() + DAY);
const at = (days: number) => new Date(from.getTime() + days * DAY);

const ids = Array.from({ length: 60 }, (_, index) => 7_712_345_678_901 + 37 * index);
const gids = ids.map(customerGid);

/** Who is in the VIP segment when, by customer index. */
const ALWAYS = [...Array(40).keys()]; // members since before the window
const JOINED = [40, 41, 42, 43, 44]; // entered on day 5
const LEFT = [45, 46, 47, 48, 49]; // left on day 7
const LEFT_BEFORE = [50, 51, 52]; // left two days before the window
const AUDIENCE = [...ALWAYS, ...JOINED, ...LEFT];

interface TestOrder {
  id: string;
  customer: number | null;
  processedAt: Date;
  totalCents: number;
  cancelledAt?: Date;
  test?: boolean;
}

/** Customer k orders k % 3 times in the window; then every kind of order that must not count. */
const orders: TestOrder[] = [
  ...[...Array(60).keys()].flatMap((k) =>
    Array.from({ length: k % 3 }, (_, n) => ({
      id: orderGid(1000 + 10 * k + n),
      customer: k,
      processedAt: new Date(at(1).getTime() + (k * 7 + n) * 3_600_000),
      totalCents: 1_000 + 100 * k + n,
    })),
  ),
  { id: orderGid(1), customer: 3, processedAt: at(2), totalCents: 9_999, cancelledAt: at(3) },
  { id: orderGid(2), customer: 4, processedAt: at(2), totalCents: 9_999, test: true },
  { id: orderGid(3), customer: 6, processedAt: at(-0.5), totalCents: 9_999 },
  { id: orderGid(4), customer: null, processedAt: at(2), totalCents: 9_999 },
];

let barId: string;
let heldOutByLiquid: Set<number>;

beforeAll(async () => {
  await recordInstall(shop, "");
  await storeOfflineSession(shop);
  await recordShopLocale(shop, { ianaTimezone: "Europe/Berlin", currencyCode: "EUR" });
  await insertCustomers(
    shop,
    gids.map((id) => ({ id, createdAt: new Date(saved.getTime() - 400 * DAY) })),
  );
  await insertOrders(
    shop,
    orders.map((order) => ({
      id: order.id,
      customerId: order.customer === null ? null : gids[order.customer],
      processedAt: order.processedAt,
      totalCents: order.totalCents,
      cancelledAt: order.cancelledAt ?? null,
      test: order.test ?? false,
    })),
  );
  const segment = await prisma.segment.create({
    data: { shop, handle: "vip", name: "VIP", kind: "custom", tagEnabled: true },
  });
  const member = (k: number, enteredAt: Date) => ({
    shop,
    segmentId: segment.id,
    customerId: gids[k],
    enteredAt,
  });
  const event = (k: number, kind: string, when: Date) => ({
    shop,
    segmentId: segment.id,
    customerId: gids[k],
    kind,
    at: when,
  });
  const longAgo = new Date(saved.getTime() - 100 * DAY);
  await prisma.segmentMember.createMany({
    data: [...ALWAYS.map((k) => member(k, longAgo)), ...JOINED.map((k) => member(k, at(5)))],
  });
  await prisma.segmentEvent.createMany({
    data: [
      ...[...ALWAYS, ...LEFT, ...LEFT_BEFORE].map((k) => event(k, "entered", longAgo)),
      ...JOINED.map((k) => event(k, "entered", at(5))),
      ...LEFT.map((k) => event(k, "left", at(7))),
      ...LEFT_BEFORE.map((k) => event(k, "left", at(-2))),
    ],
  });
  const valid = validateBar(
    {
      ...DEFAULT_BAR,
      name: "VIP thanks",
      messages: { en: "Thanks, VIP" },
      audience: { segments: ["vip"], countries: [], visitors: "logged-in" },
      schedule: { startsAt: from.toISOString(), endsAt: null },
      holdout: { percent: 30, start: null, since: null },
    },
    await listSegments(shop),
  );
  const placed = valid.ok ? withPlacedHoldout(valid.value, null, [], saved) : valid;
  if (!placed.ok) throw new Error(JSON.stringify(placed.errors));
  barId = (await saveBar(shop, placed.value))!.id;

  // Who the storefront holds out: the extension's Liquid, rendered for each audience customer.
  const publication = await buildStorefrontPublication(shop, now);
  const tag = publication.bars.bars[0].tags[0];
  const render = topBarRenderer({ ...publication, products: [] }, now);
  const persona = (k: number): Persona => ({
    id: "customer",
    label: "Customer",
    customerTags: [tag],
    customerId: ids[k],
    country: "DE",
    locale: "en",
    currency: "EUR",
    page: "product",
    initialCart: () => [],
  });
  heldOutByLiquid = new Set(
    AUDIENCE.filter((k) => !render(persona(k)).includes(`data-bar-id="${barId}"`)),
  );
}, 60_000);

/** A group's numbers counted from the rows above, without the app's code. */
function expectedGroup(customers: number[]) {
  const counted = orders.filter(
    (order) =>
      order.customer !== null &&
      customers.includes(order.customer) &&
      !order.cancelledAt &&
      !order.test &&
      order.processedAt >= from &&
      order.processedAt <= now,
  );
  const per = customers.map((k) => counted.filter((order) => order.customer === k));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    customers: customers.length,
    converted: per.filter((list) => list.length > 0).length,
    orders: mean(per.map((list) => list.length)),
    revenue: mean(per.map((list) => list.reduce((sum, order) => sum + order.totalCents, 0))),
  };
}

describe("a bar's results from the database", () => {
  it("counts the segment's customers during the window, split as the Liquid splits them, with their counted orders", async () => {
    const results = await barResults(shop, barId, now);
    expect(results?.kind).toBe("measured");
    if (results?.kind !== "measured") return;
    const { lift } = results;
    expect(lift.window.from).toEqual(from);
    expect(lift.window.to).toEqual(now);
    // The holdout is 30 %: some of the 50 are held out, most are not.
    expect(heldOutByLiquid.size).toBeGreaterThan(5);
    expect(heldOutByLiquid.size).toBeLessThan(30);
    const shown = expectedGroup(AUDIENCE.filter((k) => !heldOutByLiquid.has(k)));
    const heldOut = expectedGroup([...heldOutByLiquid]);
    expect(shown.customers + heldOut.customers).toBe(50);
    for (const [group, expected] of [
      [lift.shown, shown],
      [lift.heldOut, heldOut],
    ] as const) {
      expect(group.customers).toBe(expected.customers);
      expect(group.converted).toBe(expected.converted);
      expect(group.orders.mean).toBeCloseTo(expected.orders, 12);
      expect(group.revenueCents.mean).toBeCloseTo(expected.revenue, 9);
    }
    const { report } = lift;
    expect(report.conversion.shown).toBeCloseTo(shown.converted / shown.customers, 12);
    expect(report.conversion.heldOut).toBeCloseTo(heldOut.converted / heldOut.customers, 12);
    expect(report.conversion.interval).toEqual(
      shareDifferenceInterval(
        { successes: shown.converted, trials: shown.customers },
        { successes: heldOut.converted, trials: heldOut.customers },
      ),
    );
    expect(report.revenuePerCustomerCents.difference).toBeCloseTo(
      shown.revenue - heldOut.revenue,
      9,
    );
    // Fifty customers and three weeks of history: no plan can promise to see a 10 % rise.
    expect(lift.plan).toBeNull();
    expect(lift.verdict.call).toBe("too-early");
  });

  it("is served by the results page, in the shop's currency and time zone; an unknown bar is a 404", async () => {
    const page = await resultsLoader({
      request: await adminRequest(shop, `/app/storefront/bars/${barId}/results`),
      params: { id: barId },
      context: {},
    });
    expect(page.currency).toBe("EUR");
    expect(page.timeZone).toBe("Europe/Berlin");
    expect(page.results.kind).toBe("measured");
    const missing = await responseOf(async () =>
      resultsLoader({
        request: await adminRequest(shop, "/app/storefront/bars/nope/results"),
        params: { id: "nope" },
        context: {},
      }),
    );
    expect(missing.status).toBe(404);
  });

  it("has nothing to compare for a bar without a holdout, and a plan before a bar starts", async () => {
    const valid = validateBar(
      {
        ...DEFAULT_BAR,
        name: "Later",
        messages: { en: "Soon" },
        schedule: { startsAt: at(40).toISOString(), endsAt: null },
      },
      [],
    );
    const placed = valid.ok
      ? withPlacedHoldout(valid.value, null, await listBars(shop), now)
      : valid;
    if (!placed.ok) throw new Error(JSON.stringify(placed.errors));
    const later = (await saveBar(shop, placed.value))!;
    const scheduled = await barResults(shop, later.id, now);
    expect(scheduled).toMatchObject({ kind: "not-started", audience: 60 });
    const off = (await saveBar(
      shop,
      { ...placed.value, holdout: { percent: 0, start: null, since: null } },
      later.id,
    ))!;
    expect((await barResults(shop, off.id, now))?.kind).toBe("no-holdout");
  });
});

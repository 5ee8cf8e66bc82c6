// Segment performance on a fresh install (PRODUCT.md §10): the install's full sync, run as the
// pipeline's job against the stand-in, sends the backfill job; every period's figures then equal
// a naive recomputation from the stand-in's own orders, with the periods found by reading the
// shop's wall clock, not by the app's period code.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "~/db.server";
import { InProcessJobs } from "~/jobs/in-process.server";
import { recordInstall } from "~/models/shop.server";
import { createPipeline, type Pipeline } from "~/pipeline.server";
import { loader as performanceCsvLoader } from "~/routes/app.segments.$handle.performance";
import { loader as segmentLoader } from "~/routes/app.segments.$handle";
import { rebuildPerformance } from "~/segments/performance.server";
import {
  generateStore,
  startStandIn,
  type StandIn,
  type Store,
} from "@persegment/shopify-stand-in";
import { naiveExpectation } from "../../support/naive-segments";
import { adminRequest, storeOfflineSession, testShop } from "../../support/shopify-requests";
import { customerGid } from "../../support/store-rows";

const TIME_ZONE = "America/New_York";
const HOUR = 3_600_000;

/** Local midnight of a YYYY-MM-DD in New York: 04:00 or 05:00 UTC, whichever reads 00:00 there. */
function newYorkMidnight(day: string) {
  const clock = new Intl.DateTimeFormat("en-US", {
    timeZone: TIME_ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
  });
  const reads = (at: number) => {
    const part = (type: string) => clock.formatToParts(at).find((p) => p.type === type)!.value;
    return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}`;
  };
  for (const hours of [4, 5]) {
    const at = Date.parse(`${day}T00:00:00Z`) + hours * HOUR;
    if (reads(at) === `${day} 00`) return at;
  }
  throw new Error(`no midnight found for ${day}`);
}

function nextStart(grain: string, start: string) {
  const date = new Date(`${start}T00:00:00Z`);
  if (grain === "day") date.setUTCDate(date.getUTCDate() + 1);
  if (grain === "week") date.setUTCDate(date.getUTCDate() + 7);
  if (grain === "month") date.setUTCMonth(date.getUTCMonth() + 1);
  return date.toISOString().slice(0, 10);
}

/** Each built-in handle's members as of `at`, among the customers who existed then. */
function naiveMembers(store: Store, at: number) {
  const customers = new Map(
    [...store.customers].filter(
      ([id, customer]) =>
        customer.createdAt <= at ||
        [...store.orders.values()].some(
          (o) => o.customerId === id && !o.test && o.cancelledAt === null && o.processedAt <= at,
        ),
    ),
  );
  const members = new Map<string, Set<string>>();
  for (const [customerId, row] of naiveExpectation(
    { customers, orders: store.orders },
    new Date(at),
  ))
    for (const handle of row.segments.split(";")) {
      if (!members.has(handle)) members.set(handle, new Set());
      members.get(handle)!.add(customerId);
    }
  return members;
}

describe("segment performance, backfilled on install", () => {
  let standIn: StandIn;
  let shop: string;
  let pipeline: Pipeline;
  let engine!: InProcessJobs;

  beforeAll(async () => {
    shop = testShop("performance");
    const session = await storeOfflineSession(shop);
    standIn = await startStandIn({
      shop,
      accessToken: session.accessToken!,
      apiSecret: "testApiSecretKey",
      store: generateStore({
        customers: 160,
        seed: 23,
        historyDays: 500,
        shop: { ianaTimezone: TIME_ZONE, currencyCode: "EUR" },
      }),
      scopes: ["read_customers", "read_orders", "read_all_orders", "read_products"],
    });
    vi.stubEnv("SHOPIFY_ADMIN_API_ORIGIN", standIn.origin);
    pipeline = createPipeline((jobs) => (engine = new InProcessJobs(jobs)));
  });
  afterAll(async () => {
    await pipeline.jobs.stop();
    vi.unstubAllEnvs();
    await standIn.close();
  });

  it("shows a year of periods whose figures equal a recomputation from the store's orders", async () => {
    await recordInstall(shop, "read_customers,read_orders,read_all_orders,read_products");
    await pipeline.afterInstall(shop);
    while (engine.waitingKeys("sync.full").includes(shop)) await engine.runWaiting("sync.full");
    expect(engine.waitingKeys("segments.performance")).toContain(shop);
    await engine.runWaiting("segments.performance");

    const segments = await prisma.segment.findMany({ where: { shop } });
    const handleOf = new Map(segments.map((segment) => [segment.id, segment.handle]));
    const rows = await prisma.segmentPeriodStat.findMany({ where: { shop } });
    const replayed = segments.filter((s) => s.kind === "rfm" || s.kind === "lifecycle");
    const periods = new Map<string, number>();
    for (const row of rows) periods.set(`${row.grain}:${row.start}`, 0);
    const count = (grain: string) =>
      [...periods.keys()].filter((key) => key.startsWith(grain)).length;
    expect([count("day"), count("week"), count("month")]).toEqual([90, 52, 12]);
    expect(rows).toHaveLength(periods.size * replayed.length);

    // Only ended periods, the latest ending at the last local midnight (a week: a Monday's).
    const now = Date.now();
    for (const grain of ["day", "week", "month"]) {
      const latest = rows
        .filter((r) => r.grain === grain)
        .map((r) => r.start)
        .sort()
        .at(-1)!;
      const end = newYorkMidnight(nextStart(grain, latest));
      expect(end).toBeLessThanOrEqual(now);
      expect(newYorkMidnight(nextStart(grain, nextStart(grain, latest)))).toBeGreaterThan(now);
      if (grain === "week") expect(new Date(`${latest}T00:00:00Z`).getUTCDay()).toBe(1);
    }

    const store = standIn.store;
    const membersAt = new Map<number, Map<string, Set<string>>>();
    const members = (at: number) => {
      if (!membersAt.has(at)) membersAt.set(at, naiveMembers(store, at));
      return membersAt.get(at)!;
    };
    let withOrders = 0;
    for (const row of rows) {
      const handle = handleOf.get(row.segmentId)!;
      const startAt = newYorkMidnight(row.start);
      const endAt = newYorkMidnight(nextStart(row.grain, row.start));
      const cohort = members(startAt).get(handle) ?? new Set<string>();
      const after = members(endAt).get(handle) ?? new Set<string>();
      const bought = new Map<string, { orders: number; cents: bigint }>();
      for (const order of store.orders.values()) {
        if (order.customerId === null || order.test || order.cancelledAt !== null) continue;
        if (order.processedAt <= startAt || order.processedAt > endAt) continue;
        const id = customerGid(order.customerId);
        if (!cohort.has(id)) continue;
        const sum = bought.get(id) ?? { orders: 0, cents: 0n };
        bought.set(id, { orders: sum.orders + 1, cents: sum.cents + BigInt(order.totalCents) });
      }
      const expected = {
        members: after.size,
        cohort: cohort.size,
        buyers: bought.size,
        repeatBuyers: [...bought.values()].filter((b) => b.orders >= 2).length,
        orders: [...bought.values()].reduce((sum, b) => sum + b.orders, 0),
        revenueCents: [...bought.values()].reduce((sum, b) => sum + b.cents, 0n),
        entered: [...after].filter((id) => !cohort.has(id)).length,
        left: [...cohort].filter((id) => !after.has(id)).length,
      };
      expect({ handle, grain: row.grain, start: row.start, row }).toMatchObject({
        row: expected,
      });
      if (expected.orders > 0) withOrders++;
    }
    // Figures worth checking: many periods of segments saw orders, in every grain.
    expect(withOrders).toBeGreaterThan(100);

    // Idempotent: the hourly run finds nothing missing and changes nothing.
    expect(await rebuildPerformance(shop)).toEqual({ periods: 0, rows: 0 });
    expect(await prisma.segmentPeriodStat.count({ where: { shop } })).toBe(rows.length);
  });

  it("serves the periods to the segment page and as CSV in the shop's currency", async () => {
    const periodCsv = async (period: string) =>
      (await performanceCsvLoader({
        request: await adminRequest(shop, `/app/segments/repeat/performance?period=${period}`),
        params: { handle: "repeat" },
        context: {},
      })) as Response;
    const page = await segmentLoader({
      request: await adminRequest(shop, "/app/segments/repeat"),
      params: { handle: "repeat" },
      context: {},
    });
    expect(page.replayable).toBe(true);
    expect(page.performance.day).toHaveLength(90);
    expect(page.performance.month).toHaveLength(12);
    const latestWeek = page.performance.week.at(-1)!;

    const csvResponse = await periodCsv("week");
    expect(csvResponse.status).toBe(200);
    const csv = (await csvResponse.text()).trim().split("\n");
    expect(csv[0]).toBe(
      "period_start,period_end,members,members_at_start,buyers,conversion,orders,revenue,aov,repeat_rate,entered,left,currency",
    );
    expect(csv).toHaveLength(53);
    const cents = BigInt(latestWeek.revenueCents);
    expect(csv.at(-1)!.split(",")).toEqual([
      latestWeek.start,
      nextStartMinusOne(latestWeek.start),
      String(latestWeek.members),
      String(latestWeek.cohort),
      String(latestWeek.buyers),
      latestWeek.conversion === null ? "" : latestWeek.conversion.toFixed(4),
      String(latestWeek.orders),
      `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`,
      expect.any(String),
      expect.any(String),
      String(latestWeek.entered),
      String(latestWeek.left),
      "EUR",
    ]);

    expect((await periodCsv("year")).status).toBe(400);
  });
});

/** A week's last day: six days after its Monday. */
function nextStartMinusOne(start: string) {
  const date = new Date(`${start}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 6);
  return date.toISOString().slice(0, 10);
}

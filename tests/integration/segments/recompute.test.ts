import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { exportRows, type ExportRow } from "~/segments/export.server";
import { saveCustomSegment } from "~/segments/custom.server";
import { recomputeCustomers, recomputeShop } from "~/segments/recompute.server";
import { generateStore } from "@persegment/shopify-stand-in";
import { naiveExpectation } from "../../support/naive-segments";
import { testShop } from "../../support/shopify-requests";
import {
  customerGid,
  insertCustomers,
  insertGeneratedStore,
  insertOrders,
  orderGid,
} from "../../support/store-rows";

const DAY = 86_400_000;

async function exported(shop: string) {
  const rows = new Map<string, Omit<ExportRow, "customer_id">>();
  for await (const { customer_id, ...row } of exportRows(shop, { pageSize: 97 }))
    rows.set(customer_id, row);
  return rows;
}

describe("full recompute", () => {
  it("exports, for every customer of a generated store, the R, F, M, group and segments the spec defines", async () => {
    const shop = testShop("export-naive");
    const now = new Date("2026-11-20T00:00:00Z");
    const store = generateStore({ customers: 400, seed: 7, now });
    await insertGeneratedStore(shop, store);
    // 20 days before the end of the generated history: later orders are "future" and must not count.
    const asOf = new Date(now.getTime() - 20 * DAY + 12 * 3_600_000);

    const result = await recomputeShop(shop, { asOf });
    expect(result.customers).toBe(400);

    const expected = naiveExpectation(store, asOf);
    const actual = await exported(shop);
    expect(actual.size).toBe(expected.size);
    for (const [id, row] of expected) expect({ id, ...actual.get(id) }).toEqual({ id, ...row });
    // The store exercises the interesting cases.
    const groups = new Set([...expected.values()].map((row) => row.rfm_group));
    expect(groups.size).toBeGreaterThanOrEqual(8);
    expect([...store.orders.values()].some((o) => o.cancelledAt !== null || o.test)).toBe(true);
    expect([...store.orders.values()].some((o) => o.processedAt > asOf.getTime())).toBe(true);
  });

  it("refuses to move live memberships back in time, and changes nothing", async () => {
    const shop = testShop("rewind");
    const now = new Date("2026-11-20T00:00:00Z");
    await insertGeneratedStore(shop, generateStore({ customers: 80, seed: 4, now }));
    await recomputeShop(shop, { asOf: now });
    const members = () =>
      prisma.segmentMember.findMany({
        where: { shop },
        orderBy: [{ segmentId: "asc" }, { customerId: "asc" }],
      });
    const before = await members();
    const events = await prisma.segmentEvent.count({ where: { shop } });

    await expect(
      recomputeShop(shop, { asOf: new Date(now.getTime() - 180 * DAY) }),
    ).rejects.toThrow(/only move forward/);
    expect(await members()).toEqual(before);
    expect(await prisma.segmentEvent.count({ where: { shop } })).toBe(events);
    // The same moment again, or later, is fine.
    await expect(recomputeShop(shop, { asOf: now })).resolves.toMatchObject({
      entered: 0,
      left: 0,
    });
  });

  it("is idempotent and keeps sizes, events and daily stats consistent", async () => {
    const shop = testShop("idempotent");
    const store = generateStore({ customers: 120, seed: 3, now: new Date("2026-11-20T00:00:00Z") });
    await insertGeneratedStore(shop, store);
    const asOf = new Date("2026-11-20T00:00:00Z");
    const first = await recomputeShop(shop, { asOf });
    expect(first.entered).toBeGreaterThan(0);
    const second = await recomputeShop(shop, { asOf });
    expect(second).toMatchObject({ entered: 0, left: 0, scoresWritten: 0 });

    const segments = await prisma.segment.findMany({ where: { shop } });
    expect(segments).toHaveLength(20);
    for (const segment of segments) {
      const members = await prisma.segmentMember.count({ where: { segmentId: segment.id } });
      expect(segment.memberCount).toBe(members);
      const stat = await prisma.segmentDailyStat.findUnique({
        where: { segmentId_day: { segmentId: segment.id, day: "2026-11-20" } },
      });
      expect(stat?.members).toBe(members);
    }
    const rfmMembers = await prisma.segmentMember.count({
      where: { shop, segmentId: { in: segments.filter((s) => s.kind === "rfm").map((s) => s.id) } },
    });
    expect(rfmMembers).toBe(120);
    expect(await prisma.segmentEvent.count({ where: { shop, kind: "entered" } })).toBe(
      first.entered,
    );
  });

  it("moves custom members whose stored scores a full recompute changes, and only them", async () => {
    const shop = testShop("custom-after-scoring");
    // After the custom segments' first members (computed now): memberships only move forward.
    const asOf = new Date(Math.ceil(Date.now() / DAY) * DAY);
    const ids = Array.from({ length: 1_000 }, (_, n) => customerGid(n + 1));
    await insertCustomers(
      shop,
      ids.map((id) => ({ id })),
    );
    await insertOrders(
      shop,
      ids.map((customerId, n) => ({
        id: orderGid(n + 1),
        customerId,
        processedAt: new Date(asOf.getTime() - (n + 1) * DAY),
        totalCents: 1_000 + n,
      })),
    );
    const rules = {
      "Two orders or more": { field: "frequency", op: ">=", value: 2 },
      "Top recency": { field: "r", op: ">=", value: 5 },
      "Ordered this week": { field: "orders", op: ">=", value: 1, where: { within_days: 7 } },
    };
    for (const [name, rule] of Object.entries(rules))
      expect(await saveCustomSegment(shop, { name, rule })).toMatchObject({ ok: true });
    await recomputeShop(shop, { asOf });

    // Orders arrive without an incremental recompute; the daily full recompute picks them up.
    const later = new Date(asOf.getTime() + DAY);
    await insertOrders(shop, [
      { id: orderGid("a"), customerId: ids[999], processedAt: later, totalCents: 500 },
      { id: orderGid("b"), customerId: ids[998], processedAt: later, totalCents: 500 },
    ]);
    const result = await recomputeShop(shop, { asOf: later });
    // The two buyers and those the R quintile boundaries passed: few enough to be evaluated
    // again by id rather than for the whole shop.
    expect(result.scoresWritten).toBeGreaterThan(2);
    expect(result.scoresWritten).toBeLessThan(ids.length / 50);

    const members = async (handle: string) => {
      const segment = await prisma.segment.findUniqueOrThrow({
        where: { shop_handle: { shop, handle } },
      });
      const rows = await prisma.segmentMember.findMany({ where: { segmentId: segment.id } });
      expect(segment.memberCount).toBe(rows.length);
      return rows.map((row) => row.customerId).sort();
    };
    const newBuyers = [ids[998], ids[999]];
    expect(await members("two-orders-or-more")).toEqual(newBuyers.sort());
    // R = 5 is the most recent fifth: the two new orders, then the 198 newest of the others.
    expect(await members("top-recency")).toEqual([...newBuyers, ...ids.slice(0, 198)].sort());
    expect(await members("ordered-this-week")).toEqual([...newBuyers, ...ids.slice(0, 6)].sort());
  });

  it("reads thresholds from the shop's settings", async () => {
    const shop = testShop("settings");
    await prisma.shop.create({
      data: { domain: shop, settings: JSON.stringify({ lapsedDays: 10 }) },
    });
    const asOf = new Date("2026-06-01T00:00:00Z");
    await insertCustomers(shop, [{ id: customerGid(1) }]);
    await insertOrders(shop, [
      {
        id: orderGid(1),
        customerId: customerGid(1),
        processedAt: new Date(asOf.getTime() - 11 * DAY),
        totalCents: 500,
      },
    ]);
    await recomputeShop(shop, { asOf });
    const rows = await exported(shop);
    expect(rows.get(customerGid(1))?.segments).toBe("dormant;lapsed-90;new-buyers;one-time");
  });
});

describe("recency ranked on the exact time since the last order (§2)", () => {
  const groupSizes = async (shop: string) => {
    const segments = await prisma.segment.findMany({ where: { shop, kind: "rfm" } });
    return Object.fromEntries(segments.map((segment) => [segment.handle, segment.memberCount]));
  };

  it("gives a launch-day store's most recent buyers R = 5: New and Promising, not all Dormant", async () => {
    const shop = testShop("launch-day");
    const asOf = new Date("2026-06-01T20:00:00Z");
    // 50 first-time buyers, one every ten minutes from the morning on.
    await insertCustomers(
      shop,
      Array.from({ length: 50 }, (_, index) => ({ id: customerGid(index + 1) })),
    );
    await insertOrders(
      shop,
      Array.from({ length: 50 }, (_, index) => ({
        id: orderGid(index + 1),
        customerId: customerGid(index + 1),
        processedAt: new Date(asOf.getTime() - (50 - index) * 600_000),
        totalCents: 2500,
      })),
    );
    await recomputeShop(shop, { asOf });
    const rows = await exported(shop);
    expect(rows.get(customerGid(50))).toMatchObject({ r: 5, rfm_group: "new" });
    expect(rows.get(customerGid(31))).toMatchObject({ r: 4, rfm_group: "promising" });
    const sizes = await groupSizes(shop);
    expect(sizes).toMatchObject({ new: 10, promising: 10 });
    expect(sizes.dormant).toBe(10);
  });

  it("keeps a store's Champions when a flash sale brings a third of its buyers back today", async () => {
    const shop = testShop("flash-sale");
    const asOf = new Date("2026-06-01T20:00:00Z");
    const buyers = 60;
    await insertCustomers(
      shop,
      Array.from({ length: buyers }, (_, index) => ({ id: customerGid(index + 1) })),
    );
    // Customers 1–20 are the regulars: five big orders each. Everyone bought on some day of the
    // past months; in the flash sale today customers 1–20 come back (a third of the buyers).
    const orders = Array.from({ length: buyers }, (_, index) => index + 1).flatMap((customer) => {
      const regular = customer <= 20;
      const history = Array.from({ length: regular ? 4 : 1 }, (_, order) => ({
        id: orderGid(`${customer}-${order}`),
        customerId: customerGid(customer),
        processedAt: new Date(asOf.getTime() - (customer + 10 * order + 1) * DAY),
        totalCents: regular ? 20_000 : 3_000,
      }));
      const today = regular
        ? [
            {
              id: orderGid(`${customer}-sale`),
              customerId: customerGid(customer),
              processedAt: new Date(asOf.getTime() - customer * 60_000),
              totalCents: 20_000,
            },
          ]
        : [];
      return [...history, ...today];
    });
    await insertOrders(shop, orders);
    await recomputeShop(shop, { asOf });
    const rows = await exported(shop);
    // The twelve latest of today's buyers are the fifth with R = 5; all are regulars.
    const champions = [...rows].filter(([, row]) => row.rfm_group === "champions");
    expect(champions.map(([id]) => id).sort()).toEqual(
      Array.from({ length: 12 }, (_, index) => customerGid(index + 1)).sort(),
    );
    expect((await groupSizes(shop)).champions).toBe(12);
  });
});

describe("incremental recompute and history", () => {
  it("moves a customer on a new order and records who left which segment when", async () => {
    const shop = testShop("incremental");
    const asOf = new Date("2026-06-01T00:00:00Z");
    // Five buyers; c1 ordered long ago, once.
    await insertCustomers(
      shop,
      [1, 2, 3, 4, 5, 6].map((n) => ({ id: customerGid(n) })),
    );
    await insertOrders(shop, [
      {
        id: orderGid(1),
        customerId: customerGid(1),
        processedAt: new Date(asOf.getTime() - 200 * DAY),
        totalCents: 1000,
      },
      ...[2, 3, 4, 5].flatMap((n) =>
        Array.from({ length: n }, (_, k) => ({
          id: orderGid(`${n}-${k}`),
          customerId: customerGid(n),
          processedAt: new Date(asOf.getTime() - (n * 10 + k) * DAY),
          totalCents: 2000 * n,
        })),
      ),
    ]);
    await recomputeShop(shop, { asOf });
    const before = await exported(shop);
    expect(before.get(customerGid(1))).toMatchObject({
      rfm_group: "dormant",
      segments: "dormant;lapsed-90;one-time",
    });
    expect(before.get(customerGid(6))?.segments).toBe("never-purchased;prospects");

    // A day later c1 places two big orders and c6 buys for the first time.
    const later = new Date(asOf.getTime() + DAY);
    await insertOrders(shop, [
      { id: orderGid("new-1"), customerId: customerGid(1), processedAt: later, totalCents: 50_000 },
      {
        id: orderGid("new-2"),
        customerId: customerGid(1),
        processedAt: later,
        totalCents: 50_000,
        discountCodes: "SAVE",
      },
      { id: orderGid("new-3"), customerId: customerGid(6), processedAt: later, totalCents: 100 },
    ]);
    const change = await recomputeCustomers(shop, [customerGid(1), customerGid(6)], {
      asOf: later,
    });
    expect(change.entered).toBeGreaterThan(0);
    const after = await exported(shop);
    // c1 and c6 tie on the most recent day: 4 of 6 buyers ordered longer ago -> R = 1 + floor(20 / 6) = 4.
    expect(after.get(customerGid(1))).toMatchObject({ orders: 3, spent: "1010.00", r: 4 });
    expect(after.get(customerGid(6))).toMatchObject({ r: 4 });
    expect(after.get(customerGid(1))?.segments).not.toContain("lapsed-90");
    expect(after.get(customerGid(6))?.segments).toContain("new-buyers");

    const dormant = await prisma.segment.findUniqueOrThrow({
      where: { shop_handle: { shop, handle: "dormant" } },
    });
    const left = await prisma.segmentEvent.findMany({
      where: { segmentId: dormant.id, kind: "left" },
    });
    expect(left.map((event) => [event.customerId, event.at.toISOString()])).toEqual([
      [customerGid(1), later.toISOString()],
    ]);
    expect(dormant.memberCount).toBe(
      await prisma.segmentMember.count({ where: { segmentId: dormant.id } }),
    );
    const stat = await prisma.segmentDailyStat.findUnique({
      where: { segmentId_day: { segmentId: dormant.id, day: "2026-06-02" } },
    });
    expect(stat?.members).toBe(dormant.memberCount);

    // The next full recompute re-ranks everyone; incremental results stay where they agree.
    const full = await recomputeShop(shop, { asOf: later });
    const rerun = await exported(shop);
    expect(rerun.get(customerGid(1))?.rfm_group).toBe(after.get(customerGid(1))?.rfm_group);
    expect(full.scoresWritten).toBeGreaterThanOrEqual(0);
  });
});

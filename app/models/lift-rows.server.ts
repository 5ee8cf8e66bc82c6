/** The rows a bar's lift report is computed from (app/measurement/bar-lift.server.ts). */
import prisma from "~/db.server";
import type { CurrentMember, MembershipEvent } from "~/domain/measurement/audience";
import type { CountableOrder } from "~/domain/measurement/lift";
import { epochMs, jsonAggregate, queryJsonRows } from "./bulk-sql.server";
import { fromEpoch, toBigInt } from "./raw-results.server";

/** When the bar was last saved (null: no such bar of the shop). */
export async function barSavedAt(shop: string, id: string): Promise<Date | null> {
  const row = await prisma.bar.findFirst({ where: { shop, id }, select: { updatedAt: true } });
  return row?.updatedAt ?? null;
}

/**
 * The shop's customers created by `at`, with when. Read as one JSON value: a shop's whole
 * customer list as Prisma objects takes seconds at 30,000.
 */
export async function customersCreatedBy(shop: string, at: Date) {
  const rows = await queryJsonRows(
    prisma,
    `SELECT ${jsonAggregate(['"id"', epochMs('"createdAt"')])} AS rows
     FROM "Customer" WHERE "shop" = ? AND "createdAt" <= ?`,
    [shop, at],
  );
  return rows.map(([id, createdAt]) => ({ id: String(id), createdAt: fromEpoch(createdAt)! }));
}

/** Today's members of the segments, and their entries and exits from `since` on, oldest first. */
export async function segmentTrails(
  shop: string,
  segmentIds: string[],
  since: Date,
): Promise<{ current: CurrentMember[]; events: MembershipEvent[] }> {
  if (segmentIds.length === 0) return { current: [], events: [] };
  const [current, events] = await Promise.all([
    prisma.segmentMember.findMany({
      where: { shop, segmentId: { in: segmentIds } },
      select: { segmentId: true, customerId: true, enteredAt: true },
    }),
    prisma.segmentEvent.findMany({
      where: { shop, segmentId: { in: segmentIds }, at: { gte: since } },
      select: { segmentId: true, customerId: true, kind: true, at: true },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    }),
  ]);
  return { current, events };
}

/** The shop's orders with a customer processed from `from` up to `to`, as the report reads them. */
export async function customerOrdersBetween(
  shop: string,
  from: Date,
  to: Date,
): Promise<CountableOrder[]> {
  const rows = await queryJsonRows(
    prisma,
    `SELECT ${jsonAggregate([
      '"customerId"',
      epochMs('"processedAt"'),
      epochMs('"cancelledAt"'),
      '"test"',
      'CAST("totalCents" AS TEXT)',
    ])} AS rows
     FROM "Order" WHERE "shop" = ? AND "processedAt" >= ? AND "processedAt" <= ?
       AND "customerId" IS NOT NULL`,
    [shop, from, to],
  );
  return rows.map(([customerId, processedAt, cancelledAt, test, totalCents]) => ({
    customerId: String(customerId),
    processedAt: fromEpoch(processedAt)!,
    cancelledAt: fromEpoch(cancelledAt),
    // SQLite has no booleans: 1 there, true on PostgreSQL.
    test: test === true || test === 1,
    totalCents: toBigInt(totalCents),
  }));
}

/** The rows a bar's lift report is computed from (app/measurement/bar-lift.server.ts). */
import prisma from "~/db.server";
import type { CurrentMember, MembershipEvent } from "~/domain/measurement/audience";
import type { CountableOrder } from "~/domain/measurement/lift";

/** When the bar was last saved (null: no such bar of the shop). */
export async function barSavedAt(shop: string, id: string): Promise<Date | null> {
  const row = await prisma.bar.findFirst({ where: { shop, id }, select: { updatedAt: true } });
  return row?.updatedAt ?? null;
}

/** The shop's customers created by `at`, with when. */
export async function customersCreatedBy(shop: string, at: Date) {
  return prisma.customer.findMany({
    where: { shop, createdAt: { lte: at } },
    select: { id: true, createdAt: true },
  });
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
  return prisma.order.findMany({
    where: { shop, customerId: { not: null }, processedAt: { gte: from, lte: to } },
    select: {
      customerId: true,
      processedAt: true,
      cancelledAt: true,
      test: true,
      totalCents: true,
    },
  });
}

import prisma from "~/db.server";
import type { BarEventCount } from "~/domain/measurement/bar-events";

/** What the collector checks a batch against: the shop's state, its bars and its time zone. */
export async function shopForBarEvents(shop: string) {
  const [row, bars] = await Promise.all([
    prisma.shop.findUnique({
      where: { domain: shop },
      select: { uninstalledAt: true, ianaTimezone: true },
    }),
    prisma.bar.findMany({ where: { shop }, select: { id: true } }),
  ]);
  if (!row) return null;
  return {
    installed: row.uninstalledAt === null,
    barIds: new Set(bars.map((bar) => bar.id)),
    timeZone: row.ianaTimezone,
  };
}

/** Adds a batch's counts to the day's totals, all or none. */
export async function addBarEventCounts(shop: string, day: string, counts: BarEventCount[]) {
  await prisma.$transaction(
    counts.map(({ barId, kind, count }) =>
      prisma.barEventDay.upsert({
        where: { shop_barId_day_kind: { shop, barId, day, kind } },
        create: { shop, barId, day, kind, count },
        update: { count: { increment: count } },
      }),
    ),
  );
}

export function barEventDays(shop: string, barId: string) {
  return prisma.barEventDay.findMany({
    where: { shop, barId },
    select: { day: true, kind: true, count: true },
  });
}

// The performance rows' write (PRODUCT.md §10): a period's rows replaced when computed again,
// rows of periods no longer kept dropped, other periods' rows left, money exact beyond 2^53.
import { describe, expect, it } from "vitest";
import prisma from "~/db.server";
import type { PeriodStat } from "~/domain/segments/performance";
import { loadPeriodStats, writePeriodStats } from "~/models/segment-periods.server";
import { testShop } from "../../support/shopify-requests";

const shop = testShop("performance-rows");
const computedAt = new Date("2026-11-20T06:00:00Z");

function stat(segmentId: string, start: string, members: number, revenueCents = 0n): PeriodStat {
  return {
    segmentId: `${shop}-${segmentId}`,
    grain: "day",
    start,
    members,
    cohort: members + 1,
    buyers: 2,
    repeatBuyers: 1,
    orders: 3,
    revenueCents,
    entered: 4,
    left: 5,
  };
}

const day = (start: string) => ({ grain: "day" as const, start });

describe("writing performance rows", () => {
  it("replaces the periods written, drops those no longer kept and leaves the others", async () => {
    const huge = 9_007_199_254_740_993n;
    await writePeriodStats(
      shop,
      [stat("a", "2026-11-17", 10, huge), stat("b", "2026-11-17", 20), stat("a", "2026-11-18", 30)],
      [day("2026-11-17"), day("2026-11-18")],
      computedAt,
    );
    const first = await loadPeriodStats(shop, "day", "2026-11-01");
    expect(first.map((row) => [row.start, row.segmentId, row.members])).toEqual([
      ["2026-11-17", `${shop}-a`, 10],
      ["2026-11-17", `${shop}-b`, 20],
      ["2026-11-18", `${shop}-a`, 30],
    ]);
    expect(first[0]).toMatchObject({ ...stat("a", "2026-11-17", 10, huge), shop, computedAt });

    // A day later: the 17th is no longer kept, the 18th stays as it was, the 19th is new; a
    // period computed again (the 19th, twice) keeps only the last write's rows.
    await writePeriodStats(
      shop,
      [stat("a", "2026-11-19", 40)],
      [day("2026-11-18"), day("2026-11-19")],
      computedAt,
    );
    await writePeriodStats(
      shop,
      [stat("b", "2026-11-19", 50)],
      [day("2026-11-18"), day("2026-11-19")],
      computedAt,
    );
    const rows = await prisma.segmentPeriodStat.findMany({
      where: { shop },
      orderBy: [{ start: "asc" }, { segmentId: "asc" }],
    });
    expect(rows.map((row) => [row.start, row.segmentId, row.members])).toEqual([
      ["2026-11-18", `${shop}-a`, 30],
      ["2026-11-19", `${shop}-b`, 50],
    ]);
  });
});

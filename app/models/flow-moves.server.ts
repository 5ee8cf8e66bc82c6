/**
 * Segment moves waiting for Shopify Flow: per segment with Flow on, the SegmentEvent rows after
 * its cursor (the last one handled). The cursor moves one event at a time, after Flow answered.
 */
import prisma from "~/db.server";

export interface FlowSegmentRow {
  id: string;
  name: string;
  handle: string;
  flowEnabledAt: Date;
  flowCursor: number;
}

/**
 * Turns Flow on (from now: the moves already recorded are not sent) or off. Turning it on again
 * while on changes nothing.
 */
export async function setSegmentFlow(shop: string, segmentId: string, on: boolean, now: Date) {
  const segment = await prisma.segment.findFirst({ where: { id: segmentId, shop } });
  if (!segment) return null;
  if (!on)
    return prisma.segment.update({
      where: { id: segmentId },
      data: { flowEnabledAt: null, flowError: null },
    });
  if (segment.flowEnabledAt) return segment;
  const latest = await prisma.segmentEvent.aggregate({ where: { segmentId }, _max: { id: true } });
  return prisma.segment.update({
    where: { id: segmentId },
    data: { flowEnabledAt: now, flowCursor: latest._max.id ?? 0, flowError: null },
  });
}

export async function listFlowSegments(shop: string): Promise<FlowSegmentRow[]> {
  const rows = await prisma.segment.findMany({
    where: { shop, flowEnabledAt: { not: null } },
    select: { id: true, name: true, handle: true, flowEnabledAt: true, flowCursor: true },
    orderBy: { handle: "asc" },
  });
  return rows.map((row) => ({ ...row, flowEnabledAt: row.flowEnabledAt! }));
}

/** The segment's moves after the cursor, oldest first. */
export function movesAfter(segmentId: string, cursor: number, limit: number) {
  return prisma.segmentEvent.findMany({
    where: { segmentId, id: { gt: cursor } },
    select: { id: true, kind: true, customerId: true, at: true },
    orderBy: { id: "asc" },
    take: limit,
  });
}

/** How many moves of the segment wait for Flow. */
export function countMovesAfter(segmentId: string, cursor: number) {
  return prisma.segmentEvent.count({ where: { segmentId, id: { gt: cursor } } });
}

/** Records that the move was handled; `error` is Flow's refusal of it (null: accepted). */
export async function advanceFlowCursor(segmentId: string, eventId: number, error: string | null) {
  await prisma.segment.update({
    where: { id: segmentId },
    data: { flowCursor: eventId, ...(error === null ? {} : { flowError: error }) },
  });
}

/** Shops with a segment whose Flow is on and a move after its cursor (one query, every minute). */
export async function listShopsWithFlowMoves() {
  const rows = await prisma.$queryRaw<{ shop: string }[]>`
    SELECT DISTINCT s."shop" FROM "Segment" s
    WHERE s."flowEnabledAt" IS NOT NULL
      AND EXISTS (SELECT 1 FROM "SegmentEvent" e WHERE e."segmentId" = s."id" AND e."id" > s."flowCursor")`;
  return rows.map((row) => row.shop);
}

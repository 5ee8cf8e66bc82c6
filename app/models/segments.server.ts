/** Segment definitions: the built-in ones each shop has and the merchant's custom ones. */
import prisma from "~/db.server";
import type { BuiltInSegment } from "~/domain/segments/catalog";

export interface SegmentRow {
  id: string;
  shop: string;
  handle: string;
  name: string;
  kind: string;
  description: string;
  rule: string | null;
  tagEnabled: boolean;
  shopifySegmentId: string | null;
  memberCount: number;
  evaluationError: string | null;
  evaluationFailedAt: Date | null;
  flowEnabledAt: Date | null;
  flowCursor: number;
  flowError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Creates missing built-in segments and refreshes their descriptions (thresholds may change). */
export async function ensureBuiltInSegments(shop: string, builtIns: BuiltInSegment[]) {
  const existing = await prisma.segment.findMany({
    where: { shop },
    select: { handle: true, description: true, kind: true },
  });
  const byHandle = new Map(existing.map((segment) => [segment.handle, segment]));
  const missing = builtIns.filter((segment) => !byHandle.has(segment.handle));
  if (missing.length > 0)
    await prisma.segment.createMany({
      data: missing.map((segment) => ({ shop, ...segment })),
    });
  for (const segment of builtIns) {
    const current = byHandle.get(segment.handle);
    if (current && current.kind === segment.kind && current.description !== segment.description)
      await prisma.segment.updateMany({
        where: { shop, handle: segment.handle },
        data: { description: segment.description },
      });
  }
}

export async function listSegments(shop: string): Promise<SegmentRow[]> {
  return prisma.segment.findMany({
    where: { shop },
    orderBy: [{ createdAt: "asc" }, { handle: "asc" }],
  });
}

export async function findSegment(shop: string, handle: string): Promise<SegmentRow | null> {
  return prisma.segment.findUnique({ where: { shop_handle: { shop, handle } } });
}

export async function createCustomSegment(
  shop: string,
  data: { handle: string; name: string; description: string; rule: string },
) {
  return prisma.segment.create({ data: { shop, kind: "custom", ...data } });
}

export async function updateCustomSegment(
  shop: string,
  handle: string,
  data: { name: string; description: string; rule: string },
) {
  const { count } = await prisma.segment.updateMany({
    where: { shop, handle, kind: "custom" },
    data,
  });
  return count > 0;
}

/** Deletes a custom segment with its members, history and daily sizes. */
export async function deleteCustomSegment(shop: string, handle: string) {
  const segment = await prisma.segment.findFirst({ where: { shop, handle, kind: "custom" } });
  if (!segment) return false;
  await prisma.$transaction([
    prisma.segmentMember.deleteMany({ where: { segmentId: segment.id } }),
    prisma.segmentEvent.deleteMany({ where: { segmentId: segment.id } }),
    prisma.segmentDailyStat.deleteMany({ where: { segmentId: segment.id } }),
    prisma.segment.delete({ where: { id: segment.id } }),
  ]);
  return true;
}

/** Whether the shop has been computed at least once (its built-in segments exist). */
export async function hasBuiltInSegments(shop: string) {
  return (await prisma.segment.count({ where: { shop, kind: { not: "custom" } } })) > 0;
}

import prisma from "~/db.server";
import { query, typed } from "~/models/bulk-sql.server";
import type { LedgerEntry, LedgerState, LedgerTransition } from "~/domain/tags/plan";
import { shopifySegmentName } from "~/domain/tags/shopify-segment";

/** SQLite caps bound variables per statement; keep IN lists well below it. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface TaggedSegment {
  id: string;
  handle: string;
  name: string;
  kind: string;
  description: string;
  rule: string | null;
  shopifySegmentId: string | null;
}

export async function listSegmentsForTagging(shop: string) {
  return prisma.segment.findMany({
    where: { shop },
    select: {
      id: true,
      handle: true,
      name: true,
      kind: true,
      tagEnabled: true,
      shopifySegmentId: true,
      memberCount: true,
    },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
  });
}

export async function findSegmentForTagging(shop: string, segmentId: string) {
  return prisma.segment.findFirst({
    where: { shop, id: segmentId },
    select: {
      id: true,
      handle: true,
      name: true,
      kind: true,
      tagEnabled: true,
      shopifySegmentId: true,
    },
  });
}

export async function loadTaggedSegments(shop: string): Promise<TaggedSegment[]> {
  return prisma.segment.findMany({
    where: { shop, tagEnabled: true },
    select: {
      id: true,
      handle: true,
      name: true,
      kind: true,
      description: true,
      rule: true,
      shopifySegmentId: true,
    },
    orderBy: { handle: "asc" },
  });
}

/** Sets a segment's tagging switch; one already set so is not written (true when it changed). */
export async function setSegmentTagging(shop: string, segmentId: string, enabled: boolean) {
  const { count } = await prisma.segment.updateMany({
    where: { shop, id: segmentId, tagEnabled: !enabled },
    data: { tagEnabled: enabled },
  });
  return count === 1;
}

/** Clean uninstall: no segment asks for tags any more. */
export async function disableAllTagging(shop: string) {
  await prisma.segment.updateMany({
    where: { shop, tagEnabled: true },
    data: { tagEnabled: false },
  });
}

export async function setShopifySegmentId(
  shop: string,
  segmentId: string,
  shopifySegmentId: string,
) {
  await prisma.segment.updateMany({ where: { shop, id: segmentId }, data: { shopifySegmentId } });
}

/** The app's segments that have a Shopify segment the app created for them. */
export async function listShopifySegmentLinks(shop: string) {
  const rows = await prisma.segment.findMany({
    where: { shop, shopifySegmentId: { not: null } },
    select: { id: true, name: true, shopifySegmentId: true },
    orderBy: { handle: "asc" },
  });
  return rows.map((row) => ({
    segmentId: row.id,
    name: shopifySegmentName(row.name),
    shopifySegmentId: row.shopifySegmentId!,
  }));
}

/** The Shopify segment is gone: forget its id (only if it is still the one we deleted). */
export async function clearShopifySegmentId(
  shop: string,
  segmentId: string,
  shopifySegmentId: string,
) {
  await prisma.segment.updateMany({
    where: { shop, id: segmentId, shopifySegmentId },
    data: { shopifySegmentId: null },
  });
}

const toEntry = (row: {
  customerId: string;
  tag: string;
  state: string;
  updatedAt: Date;
}): LedgerEntry => ({
  customerId: row.customerId,
  tag: row.tag,
  state: row.state as LedgerState,
  changedAt: row.updatedAt,
});

/** Ledger rows that can still matter to a plan (settled `removed` rows cannot). */
export async function loadOpenLedger(shop: string): Promise<LedgerEntry[]> {
  const rows = await prisma.tagLedger.findMany({
    where: { shop, state: { not: "removed" } },
    select: { customerId: true, tag: true, state: true, updatedAt: true },
  });
  return rows.map(toEntry);
}

/** Ledger rows for specific customer/tag pairs, whatever their state (echo guard, re-entries). */
export async function loadLedgerFor(shop: string, customerIds: string[]): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  for (const ids of chunks([...new Set(customerIds)])) {
    const rows = await prisma.tagLedger.findMany({
      where: { shop, customerId: { in: ids } },
      select: { customerId: true, tag: true, state: true, updatedAt: true },
    });
    out.push(...rows.map(toEntry));
  }
  return out;
}

/** Customer.tags (comma-joined, as synced) for the given customers. */
export async function loadCustomerTags(shop: string, customerIds: string[]) {
  const tags = new Map<string, string>();
  for (const ids of chunks([...new Set(customerIds)])) {
    const rows = await prisma.customer.findMany({
      where: { shop, id: { in: ids } },
      select: { id: true, tags: true },
    });
    for (const row of rows) tags.set(row.id, row.tags);
  }
  return tags;
}

/**
 * Persists a plan's intent before any call. Each update is guarded by the state the plan saw, so
 * a change recorded meanwhile (e.g. a merchant removal from a webhook) is not overwritten.
 */
export async function writeTransitions(shop: string, transitions: LedgerTransition[], now: Date) {
  const creates = transitions.filter((t) => t.from === null);
  for (const batch of chunks(creates)) {
    await prisma.tagLedger.createMany({
      data: batch.map((t) => ({
        shop,
        customerId: t.customerId,
        tag: t.tag,
        segmentId: t.segmentId ?? null,
        reason: t.reason ?? "",
        state: t.to,
        updatedAt: now,
      })),
    });
  }
  const groups = new Map<string, { t: LedgerTransition; customerIds: string[] }>();
  for (const t of transitions) {
    if (t.from === null) continue;
    const key = JSON.stringify([t.from, t.to, t.tag, t.segmentId ?? null, t.reason ?? null]);
    const group = groups.get(key) ?? { t, customerIds: [] };
    group.customerIds.push(t.customerId);
    groups.set(key, group);
  }
  for (const { t, customerIds } of groups.values()) {
    for (const ids of chunks(customerIds)) {
      await prisma.tagLedger.updateMany({
        where: { shop, tag: t.tag, state: t.from!, customerId: { in: ids } },
        data: {
          state: t.to,
          updatedAt: now,
          ...(t.segmentId !== undefined ? { segmentId: t.segmentId } : {}),
          ...(t.reason !== undefined ? { reason: t.reason } : {}),
        },
      });
    }
  }
}

/** After Shopify confirmed the writes: pending-add → applied, pending-remove → removed. */
export async function markWritten(
  shop: string,
  written: { customerId: string; added: string[]; removed: string[] }[],
  now: Date,
) {
  const byTag = (kind: "added" | "removed") => {
    const map = new Map<string, string[]>();
    for (const w of written)
      for (const tag of w[kind]) {
        const ids = map.get(tag);
        if (ids) ids.push(w.customerId);
        else map.set(tag, [w.customerId]);
      }
    return map;
  };
  for (const [tag, customerIds] of byTag("added"))
    for (const ids of chunks(customerIds))
      await prisma.tagLedger.updateMany({
        where: { shop, tag, state: "pending-add", customerId: { in: ids } },
        data: { state: "applied", addedAt: now, updatedAt: now },
      });
  for (const [tag, customerIds] of byTag("removed"))
    for (const ids of chunks(customerIds))
      await prisma.tagLedger.updateMany({
        where: { shop, tag, state: "pending-remove", customerId: { in: ids } },
        data: { state: "removed", updatedAt: now },
      });
}

/**
 * A merchant removed app tags by hand. Only rows applied before the removal happened change:
 * an old event arriving after the app re-added the tag is ignored.
 */
export async function markMerchantRemoved(
  shop: string,
  customerId: string,
  tags: string[],
  occurredAt: Date,
  now: Date,
) {
  if (tags.length === 0) return 0;
  const { count } = await prisma.tagLedger.updateMany({
    where: { shop, customerId, tag: { in: tags }, state: "applied", addedAt: { lt: occurredAt } },
    data: { state: "merchant-removed", updatedAt: now },
  });
  return count;
}

export interface LedgerSegmentSummary {
  segmentId: string | null;
  state: LedgerState;
  count: number;
}

export async function summarizeLedger(shop: string): Promise<LedgerSegmentSummary[]> {
  const rows = await prisma.tagLedger.groupBy({
    by: ["segmentId", "state"],
    where: { shop },
    _count: { _all: true },
  });
  return rows.map((row) => ({
    segmentId: row.segmentId,
    state: row.state as LedgerState,
    count: row._count._all,
  }));
}

export async function listLedgerEntries(
  shop: string,
  filter: { state?: LedgerState; segmentId?: string } = {},
  take = 20,
) {
  return prisma.tagLedger.findMany({
    where: { shop, ...filter },
    orderBy: { updatedAt: "desc" },
    take,
  });
}

/** Members of a segment subscribed to email marketing: who Shopify Email will reach. */
export async function countSubscribedMembers(shop: string, segmentIds: string[]) {
  const counts = new Map<string, number>(segmentIds.map((id) => [id, 0]));
  if (segmentIds.length === 0) return counts;
  const rows = await query<{ segmentId: string; subscribed: number | bigint }>(
    prisma,
    `SELECT m."segmentId" AS "segmentId", COUNT(*) AS subscribed
       FROM "SegmentMember" m JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
      WHERE m."shop" = ? AND c."emailMarketingState" = 'SUBSCRIBED'
        AND m."segmentId" IN (${segmentIds.map(() => "?").join(", ")})
      GROUP BY m."segmentId"`,
    [shop, ...segmentIds],
  );
  for (const row of rows) counts.set(row.segmentId, Number(row.subscribed));
  return counts;
}

/**
 * Customers whose app tags may need a write: a wanted tag not applied, a ledger row in flight
 * (pending or merchant-removed), or an applied tag no longer wanted. Everyone else's wanted tags
 * are exactly their applied rows, which a plan leaves alone; so planning only these customers
 * gives the same plan as planning the whole shop, at a cost that follows the changes, not the shop.
 */
export async function customersWithTagWork(
  shop: string,
  wanted: { segmentId: string; tag: string }[],
): Promise<string[]> {
  const inFlight = `SELECT l."customerId" FROM "TagLedger" l
      WHERE l."shop" = ? AND l."state" IN ('pending-add', 'pending-remove', 'merchant-removed')`;
  if (wanted.length === 0) {
    const rows = await query<{ customerId: string }>(
      prisma,
      `${inFlight} UNION SELECT l."customerId" FROM "TagLedger" l WHERE l."shop" = ? AND l."state" = 'applied'`,
      [shop, shop],
    );
    return rows.map((row) => row.customerId);
  }
  const values = wanted.map(() => `(${typed("text")}, ${typed("text")})`).join(", ");
  const rows = await query<{ customerId: string }>(
    prisma,
    `WITH wanted("segmentId", "tag") AS (VALUES ${values})
     SELECT m."customerId" FROM "SegmentMember" m JOIN wanted w ON w."segmentId" = m."segmentId"
      WHERE m."shop" = ? AND NOT EXISTS (
        SELECT 1 FROM "TagLedger" l WHERE l."shop" = m."shop" AND l."customerId" = m."customerId"
           AND l."tag" = w."tag" AND l."state" = 'applied')
     UNION ${inFlight}
     UNION SELECT l."customerId" FROM "TagLedger" l JOIN wanted w ON w."tag" = l."tag"
      WHERE l."shop" = ? AND l."state" = 'applied' AND NOT EXISTS (
        SELECT 1 FROM "SegmentMember" m WHERE m."segmentId" = w."segmentId" AND m."customerId" = l."customerId")
     UNION SELECT l."customerId" FROM "TagLedger" l
      WHERE l."shop" = ? AND l."state" = 'applied' AND l."tag" NOT IN (SELECT "tag" FROM wanted)`,
    [...wanted.flatMap((w) => [w.segmentId, w.tag]), shop, shop, shop, shop],
  );
  return rows.map((row) => row.customerId);
}

/** Current members of the given segments among the given customers. */
export async function loadMembershipsOf(shop: string, segmentIds: string[], customerIds: string[]) {
  if (segmentIds.length === 0) return [];
  const out: { segmentId: string; customerId: string; enteredAt: Date }[] = [];
  for (const ids of chunks([...new Set(customerIds)]))
    out.push(
      ...(await prisma.segmentMember.findMany({
        where: { shop, segmentId: { in: segmentIds }, customerId: { in: ids } },
        select: { segmentId: true, customerId: true, enteredAt: true },
      })),
    );
  return out;
}

/** Rows whose customer no longer exists in Shopify: nothing left to write or remove. */
export async function settleLedgerRows(
  shop: string,
  customerId: string,
  tags: string[],
  now: Date,
) {
  await prisma.tagLedger.updateMany({
    where: {
      shop,
      customerId,
      tag: { in: tags },
      state: { in: ["pending-add", "pending-remove"] },
    },
    data: { state: "removed", updatedAt: now },
  });
}

/** Installed shops with at least one segment that has tagging on. */
export async function listShopsWithTagging() {
  const rows = await prisma.segment.findMany({
    where: { tagEnabled: true },
    distinct: ["shop"],
    select: { shop: true },
  });
  if (rows.length === 0) return [];
  const installed = await prisma.shop.findMany({
    where: { domain: { in: rows.map((row) => row.shop) }, uninstalledAt: null },
    select: { domain: true },
  });
  return installed.map((shop) => shop.domain);
}

/**
 * A merchant put back, by hand, a tag the app had removed: from then on it is the merchant's, so
 * the ledger forgets it (the app will neither claim nor remove it). Rows settled after the event
 * (a later removal by the app) are kept.
 */
export async function forgetRemovedRows(
  shop: string,
  customerId: string,
  tags: string[],
  occurredAt: Date,
) {
  if (tags.length === 0) return 0;
  const { count } = await prisma.tagLedger.deleteMany({
    where: { shop, customerId, tag: { in: tags }, state: "removed", updatedAt: { lt: occurredAt } },
  });
  return count;
}

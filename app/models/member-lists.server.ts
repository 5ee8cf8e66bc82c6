/** Segment members with their stored scores, as the member list and the CSV export read them. */
import prisma from "~/db.server";
import type { MemberSortKey } from "~/domain/segments/member-list";
import { query } from "./bulk-sql.server";
import { toBigInt, toDate, toNullableNumber, toNumber } from "./raw-results.server";

/** The column each member-list sort orders by. */
const MEMBER_SORTS: Record<MemberSortKey, string> = {
  spent: 'c."spentCents"',
  orders: 'c."orders"',
  last_order: 'c."lastOrderAt"',
  r: 'c."r"',
  f: 'c."f"',
  m: 'c."m"',
  entered: 'm."enteredAt"',
};

/** A customer's id and stored scores, as the member list and the export select them (`c`). */
const SCORE_COLUMNS = `c."id" AS id, c."orders" AS orders, CAST(c."spentCents" AS TEXT) AS spent,
  c."lastOrderAt" AS last, c."r" AS r, c."f" AS f, c."m" AS m, c."rfmGroup" AS grp`;

function scoreColumns(row: Record<string, unknown>) {
  return {
    id: String(row.id),
    orders: toNumber(row.orders),
    spentCents: toBigInt(row.spent),
    lastOrderAt: toDate(row.last),
    r: toNullableNumber(row.r),
    f: toNullableNumber(row.f),
    m: toNullableNumber(row.m),
    rfmGroup: String(row.grp),
  };
}

export interface MemberRow {
  id: string;
  orders: number;
  spentCents: bigint;
  lastOrderAt: Date | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfmGroup: string;
  shopifyRfmGroup: string | null;
  countryCode: string | null;
  enteredAt: Date;
}

export async function loadSegmentMembers(
  shop: string,
  segmentId: string,
  options: { sort: MemberSortKey; direction: "asc" | "desc"; offset: number; limit: number },
): Promise<MemberRow[]> {
  const direction = options.direction === "asc" ? "ASC" : "DESC";
  const rows = await query<Record<string, unknown>>(
    prisma,
    `SELECT ${SCORE_COLUMNS}, c."shopifyRfmGroup" AS shopify,
            c."countryCode" AS country, m."enteredAt" AS entered
     FROM "SegmentMember" m JOIN "Customer" c ON c."shop" = m."shop" AND c."id" = m."customerId"
     WHERE m."shop" = ? AND m."segmentId" = ?
     ORDER BY CASE WHEN ${MEMBER_SORTS[options.sort]} IS NULL THEN 1 ELSE 0 END, ${MEMBER_SORTS[options.sort]} ${direction}, c."id" ASC
     LIMIT ? OFFSET ?`,
    [shop, segmentId, options.limit, options.offset],
  );
  return rows.map((row) => ({
    ...scoreColumns(row),
    shopifyRfmGroup: (row.shopify as string | null) ?? null,
    countryCode: (row.country as string | null) ?? null,
    enteredAt: toDate(row.entered) as Date,
  }));
}

/** Customers ordered by id, after `afterId`, with the handles of their segments. */
export async function loadExportPage(
  shop: string,
  afterId: string,
  limit: number,
  segmentId?: string,
) {
  const customers = await query<Record<string, unknown>>(
    prisma,
    `SELECT ${SCORE_COLUMNS}
     FROM "Customer" c
     WHERE c."shop" = ? AND c."id" > ?${segmentId ? ` AND EXISTS (SELECT 1 FROM "SegmentMember" sm WHERE sm."segmentId" = ? AND sm."customerId" = c."id")` : ""}
     ORDER BY c."id" LIMIT ?`,
    segmentId ? [shop, afterId, segmentId, limit] : [shop, afterId, limit],
  );
  const ids = customers.map((row) => String(row.id));
  const handles = new Map<string, string[]>();
  if (ids.length > 0) {
    const rows = await query<{ customerId: string; handle: string }>(
      prisma,
      `SELECT m."customerId" AS "customerId", s."handle" AS handle
       FROM "SegmentMember" m JOIN "Segment" s ON s."id" = m."segmentId"
       WHERE m."shop" = ? AND m."customerId" IN (${ids.map(() => "?").join(", ")})`,
      [shop, ...ids],
    );
    for (const row of rows) {
      const list = handles.get(row.customerId) ?? [];
      list.push(row.handle);
      handles.set(row.customerId, list);
    }
  }
  return customers.map((row) => ({
    ...scoreColumns(row),
    segments: (handles.get(String(row.id)) ?? []).sort(),
  }));
}

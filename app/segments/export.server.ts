/**
 * `customers export` (PRODUCT.md §7): one row per customer with the stored scores and segment
 * handles, read page by page so a large shop streams instead of being held in memory.
 */
import { loadExportPage } from "~/models/member-lists.server";

export const EXPORT_COLUMNS = [
  "customer_id",
  "orders",
  "spent",
  "last_order_at",
  "r",
  "f",
  "m",
  "rfm_group",
  "segments",
] as const;

export type ExportFormat = "csv" | "jsonl";

export interface ExportRow {
  customer_id: string;
  orders: number;
  /** Counted spend as a decimal amount in the shop currency, e.g. "1234.50" (exact, from cents). */
  spent: string;
  last_order_at: string | null;
  r: number | null;
  f: number | null;
  m: number | null;
  rfm_group: string;
  /** Segment handles joined by ";". */
  segments: string;
}

/** Cents as a decimal amount with two places, exactly (no floating point). */
export function formatCents(cents: bigint) {
  const negative = cents < 0n;
  const absolute = negative ? -cents : cents;
  return `${negative ? "-" : ""}${absolute / 100n}.${String(absolute % 100n).padStart(2, "0")}`;
}

export function csvField(value: string | number | null) {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function exportLine(row: ExportRow, format: ExportFormat) {
  if (format === "jsonl") return `${JSON.stringify(row)}\n`;
  return `${EXPORT_COLUMNS.map((column) => csvField(row[column])).join(",")}\n`;
}

/** Yields export rows for the shop (or one segment's members), in customer id order. */
export async function* exportRows(
  shop: string,
  options: { segmentId?: string; pageSize?: number } = {},
) {
  const pageSize = options.pageSize ?? 2000;
  let afterId = "";
  for (;;) {
    const page = await loadExportPage(shop, afterId, pageSize, options.segmentId);
    for (const customer of page)
      yield {
        customer_id: customer.id,
        orders: customer.orders,
        spent: formatCents(customer.spentCents),
        last_order_at: customer.lastOrderAt?.toISOString() ?? null,
        r: customer.r,
        f: customer.f,
        m: customer.m,
        rfm_group: customer.rfmGroup,
        segments: customer.segments.join(";"),
      } satisfies ExportRow;
    if (page.length < pageSize) return;
    afterId = page[page.length - 1].id;
  }
}

/** The whole export as text chunks: header (CSV only) then one line per customer. */
export async function* exportLines(
  shop: string,
  format: ExportFormat,
  options: { segmentId?: string } = {},
) {
  if (format === "csv") yield `${EXPORT_COLUMNS.join(",")}\n`;
  for await (const row of exportRows(shop, options)) yield exportLine(row, format);
}

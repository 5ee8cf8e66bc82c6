/**
 * The segment page's CSV: the columns of `customers export` plus each customer's name, email and
 * admin link, read from Shopify 250 customers at a time while the file streams (never stored).
 */
import { customerAdminUrl } from "~/domain/customer-links";
import { gatewayForShop } from "~/shops/access.server";
import { EXPORT_COLUMNS, exportRows, type ExportRow } from "./export.server";
import { readCustomerNames } from "./customer-names.server";
import { CUSTOMER_NAMES_PAGE_SIZE } from "~/shopify/operations/customer-names";

export const SEGMENT_EXPORT_COLUMNS = [
  "customer_id",
  "name",
  "email",
  "admin_url",
  ...EXPORT_COLUMNS.filter((column) => column !== "customer_id"),
] as const;

type SegmentExportRow = ExportRow & { name: string; email: string; admin_url: string };

/** Columns whose text shoppers typed: a leading =, +, - or @ would run as a spreadsheet formula. */
const TYPED_BY_SHOPPERS = new Set<string>(["name", "email"]);

function csvField(column: string, value: string | number | null) {
  if (value === null) return "";
  const text = String(value);
  const safe = TYPED_BY_SHOPPERS.has(column) && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Header, then one line per member in customer id order. Shopify is asked once per 250 rows; if
 * it fails the stream fails (a file without names would look complete when it is not).
 */
export async function* segmentExportLines(shop: string, segmentId: string) {
  const gateway = await gatewayForShop(shop, { maxAttempts: 3, baseDelayMs: 500 });
  yield `${SEGMENT_EXPORT_COLUMNS.join(",")}\n`;
  let batch: ExportRow[] = [];
  const flush = async function* () {
    const contacts = await readCustomerNames(
      gateway,
      batch.map((row) => row.customer_id),
    );
    let text = "";
    for (const row of batch) {
      const contact = contacts.get(row.customer_id);
      const full: SegmentExportRow = {
        ...row,
        name: contact?.name ?? "",
        email: contact?.email ?? "",
        admin_url: customerAdminUrl(shop, row.customer_id),
      };
      text += `${SEGMENT_EXPORT_COLUMNS.map((column) => csvField(column, full[column])).join(",")}\n`;
    }
    batch = [];
    yield text;
  };
  for await (const row of exportRows(shop, { segmentId, pageSize: CUSTOMER_NAMES_PAGE_SIZE })) {
    batch.push(row);
    if (batch.length === CUSTOMER_NAMES_PAGE_SIZE) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}

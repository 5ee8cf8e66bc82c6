import { upsertCustomers } from "~/models/customers.server";
import { upsertOrders } from "~/models/orders.server";
import { upsertProducts } from "~/models/products.server";
import { rawTransaction } from "~/db.server";
import {
  customerFromNode,
  type CustomerRow,
  lineItemFromNode,
  type LineItemRow,
  orderFromNode,
  type OrderRow,
  productFromNode,
  type ProductRow,
  RecordError,
} from "./records";

/**
 * Lines per transaction. Large on purpose: each commit rewrites every index page the batch
 * touched, so 20,000 rows per commit write about half as much as 2,000 would.
 */
export const DEFAULT_BATCH_LINES = 20_000;

export type BulkPhase = "customers" | "products" | "orders";

type Line = Record<string, unknown> & { id?: unknown; __parentId?: unknown };

export interface ImportProgress {
  /** Lines of the file consumed (including skipped ones), the resume point. */
  linesDone: number;
  /** Root records (customers / products / orders) written so far in this call. */
  recordsDone: number;
  /** Child records (line items) written so far in this call. */
  childrenDone: number;
}

export interface ImportOptions {
  /** Lines already imported by an earlier attempt (resume). */
  skipLines?: number;
  batchSize?: number;
  /** Called after each committed batch; the place to persist the checkpoint. */
  onBatch?: (progress: ImportProgress) => Promise<void>;
}

function typeOf(id: unknown) {
  return typeof id === "string" ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] : undefined;
}

/**
 * Writes one bulk operation's JSONL lines into the shop's tables, in batched transactions and in
 * file order (children come after their parents, anywhere later in the file). Returns the customer
 * ids the import touched (orders: their customers).
 */
export async function importBulkLines(
  shop: string,
  phase: BulkPhase,
  lines: AsyncIterable<Line>,
  options: ImportOptions = {},
) {
  const { skipLines = 0, batchSize = DEFAULT_BATCH_LINES, onBatch } = options;
  const progress: ImportProgress = { linesDone: 0, recordsDone: 0, childrenDone: 0 };
  let customers: CustomerRow[] = [];
  let products: ProductRow[] = [];
  let orders: OrderRow[] = [];
  let lineItems: LineItemRow[] = [];
  let pendingLines = 0;

  const flush = async () => {
    if (pendingLines === 0) return;
    const batch = { customers, products, orders, lineItems };
    customers = [];
    products = [];
    orders = [];
    lineItems = [];
    const now = new Date();
    await rawTransaction(async (tx) => {
      if (batch.customers.length) await upsertCustomers(tx, shop, batch.customers, now);
      if (batch.products.length) await upsertProducts(tx, shop, batch.products, now);
      if (batch.orders.length || batch.lineItems.length)
        await upsertOrders(tx, shop, batch.orders, batch.lineItems, now);
    });
    progress.linesDone += pendingLines;
    progress.recordsDone += batch.customers.length + batch.products.length + batch.orders.length;
    progress.childrenDone += batch.lineItems.length;
    pendingLines = 0;
    await onBatch?.({ ...progress });
  };

  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (lineNumber <= skipLines) {
      progress.linesDone++;
      continue;
    }
    const type = typeOf(line.id);
    try {
      if (phase === "customers" && type === "Customer") customers.push(customerFromNode(line));
      else if (phase === "products" && type === "Product") products.push(productFromNode(line));
      else if (phase === "orders" && type === "Order") orders.push(orderFromNode(line));
      else if (phase === "orders" && type === "LineItem")
        lineItems.push(lineItemFromNode(line, String(line.__parentId)));
      else throw new RecordError(`unexpected ${type ?? "record"} in the ${phase} export`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RecordError(`${phase} export, line ${lineNumber}: ${message}`);
    }
    pendingLines++;
    if (pendingLines >= batchSize) await flush();
  }
  await flush();
  return progress;
}

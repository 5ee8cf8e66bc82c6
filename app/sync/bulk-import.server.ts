import { customerBatch } from "~/models/customers.server";
import { OrderBatch } from "~/models/orders.server";
import { upsertProducts } from "~/models/products.server";
import { bulkImport, rawTransaction } from "~/db.server";
import type { SyncedResource } from "~/domain/sync/synced-resource";
import {
  customerFromNode,
  joinCollections,
  lineItemFromNode,
  orderFromNode,
  productCollectionFromLine,
  productFromNode,
  type ProductRow,
  RecordError,
} from "~/domain/sync/records";

/**
 * Lines per transaction. Large on purpose: each commit rewrites every index page the batch
 * touched, and the order indexes by customer and by product are touched all over, so fewer,
 * larger commits write less (a 100k-customer import spent about 7 s committing 20,000-line
 * batches, about 5 s with 30,000). Batches wait as JSON text (see OrderBatch), so memory allows it.
 */
export const DEFAULT_BATCH_LINES = 30_000;

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
  /** Lines already imported by an earlier attempt (resume); the products phase ignores it. */
  skipLines?: number;
  batchSize?: number;
  /**
   * When the export started: its rows are at least as new as that, which decides same-second
   * races with webhooks (domain/sync/record-version.ts).
   */
  observedAt?: Date;
  /** Called after each committed batch; the place to persist the checkpoint. */
  onBatch?: (progress: ImportProgress) => Promise<void>;
}

function typeOf(id: unknown) {
  return typeof id === "string" ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] : undefined;
}

function lineError(phase: SyncedResource, lineNumber: number, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  return new RecordError(`${phase} export, line ${lineNumber}: ${message}`);
}

/**
 * Writes one bulk operation's JSONL lines into the shop's tables, in batched transactions and in
 * file order (children come after their parents, anywhere later in the file). Returns how far it
 * got.
 */
export async function importBulkLines(
  shop: string,
  phase: SyncedResource,
  lines: AsyncIterable<Line>,
  options: ImportOptions = {},
) {
  return bulkImport(() =>
    phase === "products"
      ? importProducts(shop, lines, options)
      : importRecords(shop, phase, lines, options),
  );
}

async function importRecords(
  shop: string,
  phase: Exclude<SyncedResource, "products">,
  lines: AsyncIterable<Line>,
  options: ImportOptions,
) {
  const { skipLines = 0, batchSize = DEFAULT_BATCH_LINES, observedAt = null, onBatch } = options;
  const progress: ImportProgress = { linesDone: 0, recordsDone: 0, childrenDone: 0 };
  const newCustomerBatch = () => customerBatch(shop, new Date(), observedAt);
  const newOrderBatch = () => new OrderBatch(shop, new Date(), observedAt);
  let customers = newCustomerBatch();
  let orders = newOrderBatch();
  let pendingLines = 0;

  const flush = async () => {
    if (pendingLines === 0) return;
    const batch = { customers, orders };
    customers = newCustomerBatch();
    orders = newOrderBatch();
    await rawTransaction(async (tx) => {
      if (batch.customers.length) await batch.customers.write(tx);
      if (batch.orders.orderCount || batch.orders.lineItemCount) await batch.orders.write(tx);
    });
    progress.linesDone += pendingLines;
    progress.recordsDone += batch.customers.length + batch.orders.orderCount;
    progress.childrenDone += batch.orders.lineItemCount;
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
      if (phase === "customers" && type === "Customer") customers.add(customerFromNode(line));
      else if (phase === "orders" && type === "Order") orders.addOrder(orderFromNode(line));
      else if (phase === "orders" && type === "LineItem")
        orders.addLineItem(lineItemFromNode(line, String(line.__parentId)));
      else throw new RecordError(`unexpected ${type ?? "record"} in the ${phase} export`);
    } catch (error) {
      throw lineError(phase, lineNumber, error);
    }
    pendingLines++;
    if (pendingLines >= batchSize) await flush();
  }
  await flush();
  return progress;
}

/**
 * The products export. A product's collections come on their own lines, anywhere after the
 * product (a later batch, even), and a product row must be written with all of them or a stale
 * membership would survive. So the whole file is read first, each product with the collections
 * gathered for it, and only then written in batches. Products are few (thousands, rarely more
 * than tens of thousands), so this fits in memory easily. A resumed import starts again from
 * the first line: writing the same rows twice is harmless, and a half-read file is never
 * trusted for collections.
 */
async function importProducts(shop: string, lines: AsyncIterable<Line>, options: ImportOptions) {
  const { batchSize = DEFAULT_BATCH_LINES, observedAt = null, onBatch } = options;
  const products = new Map<string, ProductRow>();
  const collections = new Map<string, string[]>();
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    const type = typeOf(line.id);
    try {
      if (type === "Product" && line.__parentId === undefined) {
        const product = productFromNode(line);
        products.set(product.id, product);
        collections.set(product.id, []);
      } else if (type === "Collection") {
        const { productId, collectionId } = productCollectionFromLine(line);
        const list = collections.get(productId);
        if (!list) throw new RecordError(`collection before its product ${productId}`);
        list.push(collectionId);
      } else throw new RecordError(`unexpected ${type ?? "record"} in the products export`);
    } catch (error) {
      throw lineError("products", lineNumber, error);
    }
  }
  const rows = [...products.values()].map((product) => ({
    ...product,
    collections: joinCollections(collections.get(product.id)!),
  }));
  const progress: ImportProgress = { linesDone: lineNumber, recordsDone: 0, childrenDone: 0 };
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    await rawTransaction((tx) => upsertProducts(tx, shop, batch, new Date(), observedAt));
    progress.recordsDone += batch.length;
    for (const row of batch) progress.childrenDone += collections.get(row.id)!.length;
    await onBatch?.({ ...progress });
  }
  return progress;
}

// Incremental sync: the webhook inbox job calls these per topic. Each is idempotent and
// order-safe: an older updated_at never overwrites a newer row (X-Shopify-Triggered-At orders
// edits within one second), deletions leave a tombstone so a late update cannot bring a record
// back, and replays of the same delivery change nothing.
import { inTransaction } from "~/db.server";
import {
  TerminalWebhookError,
  type WebhookHandler as AnyWebhookHandler,
  type WebhookHandlers,
  type WebhookJob,
} from "~/webhooks/handler";
import type { SyncEffects } from "./effects";
import {
  deleteCustomers,
  findCustomerSyncState,
  setCustomerTags,
  upsertCustomers,
} from "~/models/customers.server";
import { deleteOrders, moveOrders, unlinkOrdersOf, upsertOrders } from "~/models/orders.server";
import { deleteProducts, upsertProducts } from "~/models/products.server";
import { findRunByBulkOperation } from "~/models/sync-runs.server";
import { addTombstones } from "~/models/tombstones.server";
import { announceBulkOperationFinished } from "./bulk-events.server";
import { isAbandoned } from "./full-sync.server";
import { recordTagEcho } from "~/tags/echo.server";
import {
  customerFromRest,
  joinTags,
  orderFromRest,
  productFromRest,
  RecordError,
  restGid,
  splitStoredTags,
} from "~/domain/sync/records";
import { replacesStored, webhookObservedAt } from "~/domain/sync/record-version";

type Json = Record<string, unknown>;
type WebhookHandler = AnyWebhookHandler<SyncEffects>;

function payloadOf(job: WebhookJob): Json {
  if (!job.payload || typeof job.payload !== "object" || Array.isArray(job.payload))
    throw new TerminalWebhookError(`${job.topic}: payload is not an object`);
  return job.payload as Json;
}

/** Bad payloads are failed for good (and visible in the inbox), not retried. */
function parsing<T>(job: WebhookJob, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RecordError)
      throw new TerminalWebhookError(`${job.topic}: ${error.message}`);
    throw error;
  }
}

const deletedAt = (job: WebhookJob) => job.triggeredAt ?? new Date();
const observedAt = (job: WebhookJob) => webhookObservedAt(job.topic, job.triggeredAt);
const wholeSecond = (at: Date) => new Date(Math.floor(at.getTime() / 1000) * 1000);

const orderChanged: WebhookHandler = async (job, effects) => {
  const { order, lineItems } = parsing(job, () => orderFromRest(payloadOf(job)));
  const { customerIds } = await inTransaction((tx) =>
    upsertOrders(tx, job.shop, [order], lineItems, new Date(), observedAt(job)),
  );
  await effects.customersChanged(job.shop, customerIds);
};

const orderDeleted: WebhookHandler = async (job, effects) => {
  const id = parsing(job, () => restGid(payloadOf(job), "Order"));
  const owners = await inTransaction(async (tx) => {
    await addTombstones(tx, job.shop, [id], deletedAt(job));
    return deleteOrders(tx, job.shop, [id]);
  });
  await effects.customersChanged(job.shop, owners);
};

const customerChanged: WebhookHandler = async (job, effects) => {
  const row = parsing(job, () => customerFromRest(payloadOf(job)));
  await inTransaction((tx) => upsertCustomers(tx, job.shop, [row], new Date(), observedAt(job)));
  // Tags: an app tag missing from the full list was removed by the merchant (ledger records it).
  await recordTagEcho(job.shop, {
    customerId: row.id,
    currentTags: row.tags,
    occurredAt: row.updatedAt,
  });
  await effects.customersChanged(job.shop, [row.id]);
};

const customerDeleted: WebhookHandler = async (job, effects) => {
  const id = parsing(job, () => restGid(payloadOf(job), "Customer"));
  await inTransaction(async (tx) => {
    await addTombstones(tx, job.shop, [id], deletedAt(job));
    await unlinkOrdersOf(tx, job.shop, id);
    await deleteCustomers(tx, job.shop, [id]);
  });
  await effects.customersChanged(job.shop, [id]);
};

/** customers/merge: the deleted customer's orders now belong to the kept one. */
const customersMerged: WebhookHandler = async (job, effects) => {
  const payload = payloadOf(job);
  const kept = payload.admin_graphql_api_customer_kept_id;
  const merged = payload.admin_graphql_api_customer_deleted_id;
  if (typeof kept !== "string" || typeof merged !== "string")
    throw new TerminalWebhookError("customers/merge without kept and deleted customer ids");
  // A merge that did not complete changed nothing in Shopify.
  if (payload.status !== undefined && payload.status !== "completed") return;
  await inTransaction(async (tx) => {
    await addTombstones(tx, job.shop, [merged], deletedAt(job));
    await moveOrders(tx, job.shop, merged, kept);
    await deleteCustomers(tx, job.shop, [merged]);
  });
  await effects.customersChanged(job.shop, [kept, merged]);
};

/**
 * customer.tags_added / customer.tags_removed: applies the tag change unless the stored row is
 * already newer than the event (its updated_at came after occurredAt).
 */
function tagsChanged(kind: "added" | "removed"): WebhookHandler {
  return async (job, effects) => {
    const payload = payloadOf(job);
    const customerId = payload.customerId;
    const tags = payload.tags;
    const occurredAt = new Date(String(payload.occurredAt ?? ""));
    if (
      typeof customerId !== "string" ||
      !Array.isArray(tags) ||
      Number.isNaN(occurredAt.getTime())
    )
      throw new TerminalWebhookError(`${job.topic}: needs customerId, tags and occurredAt`);
    const changed = await inTransaction(async (tx) => {
      const stored = await findCustomerSyncState(tx, job.shop, customerId);
      // Unknown customer: customers/create (or reconciliation) brings the full tag list.
      if (!stored) return false;
      // Newer content is kept; within one second, by when each was current (a tag event's
      // occurredAt has milliseconds), so a late tags_added does not undo a newer update.
      const event = { updatedAt: wholeSecond(occurredAt), observedAt: occurredAt };
      if (!replacesStored(event, stored)) return false;
      const keys = new Set(tags.map((tag) => String(tag).trim().toLowerCase()));
      const current = splitStoredTags(stored.tags);
      const next =
        kind === "added"
          ? joinTags([...current, ...tags.map(String)])
          : joinTags(current.filter((tag) => !keys.has(tag.toLowerCase())));
      if (next === stored.tags) return false;
      const observed =
        stored.observedAt && stored.observedAt > occurredAt ? stored.observedAt : occurredAt;
      await setCustomerTags(tx, job.shop, customerId, next, observed);
      return true;
    });
    // Tags: the app's own writes echoing back need no recompute (no second round of writes).
    const echo = await recordTagEcho(job.shop, {
      customerId,
      [kind]: tags.map(String),
      occurredAt,
    });
    if (changed && !echo.appTagsOnly) await effects.customersChanged(job.shop, [customerId]);
  };
}

const productChanged: WebhookHandler = async (job) => {
  const row = parsing(job, () => productFromRest(payloadOf(job)));
  await inTransaction((tx) => upsertProducts(tx, job.shop, [row], new Date(), observedAt(job)));
};

const productDeleted: WebhookHandler = async (job) => {
  const id = parsing(job, () => restGid(payloadOf(job), "Product"));
  await inTransaction(async (tx) => {
    await addTombstones(tx, job.shop, [id], deletedAt(job));
    await deleteProducts(tx, job.shop, [id]);
  });
};

/**
 * bulk_operations/finish: wakes the full sync waiting for it; if nobody has been working on that
 * sync for a while (the app restarted mid-sync), its job is sent again.
 */
const bulkOperationFinished: WebhookHandler = async (job, effects) => {
  const id = payloadOf(job).admin_graphql_api_id;
  if (typeof id !== "string")
    throw new TerminalWebhookError("bulk_operations/finish without admin_graphql_api_id");
  announceBulkOperationFinished(id);
  const run = await findRunByBulkOperation(job.shop, id);
  if (run && isAbandoned(run)) await effects.continueFullSync(job.shop);
};

/** The topics sync follows (orders, customers, tags, products, bulk exports). */
export const SYNC_WEBHOOK_HANDLERS: WebhookHandlers<SyncEffects> = {
  "orders/create": orderChanged,
  "orders/updated": orderChanged,
  "orders/cancelled": orderChanged,
  "orders/delete": orderDeleted,
  "customers/create": customerChanged,
  "customers/update": customerChanged,
  "customers/delete": customerDeleted,
  "customers/merge": customersMerged,
  "customer.tags_added": tagsChanged("added"),
  "customer.tags_removed": tagsChanged("removed"),
  "products/create": productChanged,
  "products/update": productChanged,
  "products/delete": productDeleted,
  "bulk_operations/finish": bulkOperationFinished,
};

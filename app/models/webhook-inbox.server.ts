import prisma, { durably } from "~/db.server";
import { jsonRows, jsonRowsParameter, query } from "./bulk-sql.server";
import { inEventOrder } from "~/domain/webhooks/event-order";

export interface IncomingDelivery {
  webhookId: string;
  shop: string;
  topic: string;
  apiVersion?: string;
  eventId?: string;
  triggeredAt?: Date;
  payload: unknown;
}

type Pending = {
  delivery: IncomingDelivery;
  settle: (outcome: Promise<"stored" | "duplicate">) => void;
};

let waiting: Pending[] = [];
let writing: Promise<void> | null = null;

/**
 * Stores a delivery once; a repeated X-Shopify-Webhook-Id is reported as a duplicate. Deliveries
 * arriving while a write is under way are stored together in the next write (group commit): on
 * a burst, one commit serves many requests instead of each paying for its own fsync.
 */
export function recordDelivery(delivery: IncomingDelivery): Promise<"stored" | "duplicate"> {
  return new Promise((resolve) => {
    waiting.push({ delivery, settle: (outcome) => resolve(outcome) });
    writing ??= writeWaiting();
  });
}

async function writeWaiting() {
  while (waiting.length > 0) {
    const batch = waiting;
    waiting = [];
    const outcomes = storeBatch(batch.map((entry) => entry.delivery));
    batch.forEach((entry, index) => entry.settle(outcomes.then((all) => all[index])));
    await outcomes.catch(() => {});
  }
  writing = null;
}

const INBOX_ROWS = jsonRows([
  ["webhookId", "text"],
  ["shop", "text"],
  ["topic", "text"],
  ["apiVersion", "text"],
  ["eventId", "text"],
  ["triggeredAt", "timestamp"],
  ["payload", "text"],
  ["receivedAt", "timestamp"],
]);

/**
 * One statement for the whole group: rows whose webhook id is already stored are skipped, and
 * RETURNING tells which were new. (A separate lookup first would make every acknowledgement
 * wait for two turns at the database instead of one.)
 */
async function storeBatch(deliveries: IncomingDelivery[]): Promise<("stored" | "duplicate")[]> {
  const receivedAt = new Date();
  const rows = deliveries.map((delivery) => [
    delivery.webhookId,
    delivery.shop,
    delivery.topic,
    delivery.apiVersion ?? null,
    delivery.eventId ?? null,
    delivery.triggeredAt ?? null,
    JSON.stringify(delivery.payload),
    receivedAt,
  ]);
  // Acknowledged means stored for good: Shopify will not send it again.
  const inserted = await durably(() =>
    query<{ webhookId: string }>(
      prisma,
      `INSERT INTO "WebhookDelivery" ("webhookId", "shop", "topic", "apiVersion", "eventId",
       "triggeredAt", "payload", "receivedAt")
     SELECT v."webhookId", v."shop", v."topic", v."apiVersion", v."eventId", v."triggeredAt",
       v."payload", v."receivedAt"
     FROM (${INBOX_ROWS}) v WHERE true
     ON CONFLICT ("webhookId") DO NOTHING RETURNING "webhookId"`,
      [jsonRowsParameter(rows)],
    ),
  );
  const stored = new Set(inserted.map((row) => row.webhookId));
  const ids = deliveries.map((delivery) => delivery.webhookId);
  return ids.map((id, index) =>
    stored.has(id) && ids.indexOf(id) === index ? "stored" : "duplicate",
  );
}

export type ClaimedDelivery = Awaited<ReturnType<typeof claimDeliveries>>[number];

/** Pending deliveries whose lease (or retry wait) is over, or that nobody leased. */
const claimable = (now: Date) => ({
  status: "pending",
  OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
});

/**
 * Leases up to `limit` pending deliveries (of one shop, if given) to one worker. The lease is
 * taken with a conditional update per row, so several app instances sharing a PostgreSQL database
 * never process the same delivery twice; an expired lease (crashed worker) makes the row
 * claimable again.
 */
export async function claimDeliveries(
  workerId: string,
  limit: number,
  {
    shop,
    leaseMs = 60_000,
    now = new Date(),
  }: { shop?: string; leaseMs?: number; now?: Date } = {},
) {
  const candidates = await prisma.webhookDelivery.findMany({
    where: { ...claimable(now), ...(shop ? { shop } : {}) },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { webhookId: true, lockedUntil: true },
  });
  const claimed: string[] = [];
  for (const candidate of candidates) {
    const { count } = await prisma.webhookDelivery.updateMany({
      where: {
        webhookId: candidate.webhookId,
        status: "pending",
        lockedUntil: candidate.lockedUntil,
      },
      data: {
        lockedBy: workerId,
        lockedUntil: new Date(now.getTime() + leaseMs),
        attempts: { increment: 1 },
      },
    });
    if (count === 1) claimed.push(candidate.webhookId);
  }
  if (claimed.length === 0) return [];
  const rows = await prisma.webhookDelivery.findMany({ where: { webhookId: { in: claimed } } });
  return inEventOrder(rows, claimed);
}

/** Claimed deliveries as they are now, in the same order; deleted ones (redacted) are left out. */
export async function rereadDeliveries(claimed: ClaimedDelivery[]) {
  const rows = await prisma.webhookDelivery.findMany({
    where: { webhookId: { in: claimed.map((delivery) => delivery.webhookId) } },
  });
  const current = new Map(rows.map((row) => [row.webhookId, row]));
  return claimed.flatMap((delivery) => current.get(delivery.webhookId) ?? []);
}

/** Shops with a delivery to process now: the inbox sweep sends their jobs. */
export async function shopsWithClaimableDeliveries(now = new Date()) {
  // groupBy is SQL's GROUP BY; findMany's `distinct` would read every claimable row (a tag
  // write's backlog: ~50,000 rows a minute) and drop the repeats in JavaScript.
  const rows = await prisma.webhookDelivery.groupBy({ by: ["shop"], where: claimable(now) });
  return rows.map((row) => row.shop);
}

/**
 * Marks deliveries processed and drops their bodies: idempotency needs only the webhook id, and a
 * body is personal data (names, emails, addresses) the app has no reason to keep.
 * updateMany: a row may be gone by then (shop/redact deletes every row of its shop, its own too).
 */
export async function markDeliveriesDone(webhookIds: string[], now = new Date()) {
  if (webhookIds.length === 0) return;
  await prisma.webhookDelivery.updateMany({
    where: { webhookId: { in: webhookIds } },
    data: {
      status: "done",
      processedAt: now,
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      payload: "",
    },
  });
}

/** Days a failed delivery keeps its body, for a look at what failed. */
export const FAILED_BODY_DAYS = 7;

/** Drops the bodies of deliveries that failed more than FAILED_BODY_DAYS ago. */
export async function dropOldFailedBodies(now = new Date()) {
  const { count } = await prisma.webhookDelivery.updateMany({
    where: {
      status: "failed",
      processedAt: { lt: new Date(now.getTime() - FAILED_BODY_DAYS * 86_400_000) },
      NOT: { payload: "" },
    },
    data: { payload: "" },
  });
  return count;
}

/** Removes a delivery that is not to be processed, with its payload. */
export async function forgetDelivery(webhookId: string) {
  await prisma.webhookDelivery.deleteMany({ where: { webhookId } });
}

/** Releases a failed delivery for a retry after `retryInMs`, or fails it for good. */
export async function markDeliveryFailed(
  webhookId: string,
  error: string,
  retryInMs: number | null,
  now = new Date(),
) {
  await prisma.webhookDelivery.updateMany({
    where: { webhookId },
    data:
      retryInMs === null
        ? {
            status: "failed",
            lastError: error,
            lockedBy: null,
            lockedUntil: null,
            processedAt: now,
          }
        : { lastError: error, lockedBy: null, lockedUntil: new Date(now.getTime() + retryInMs) },
  });
}

export async function countDeliveries(shop: string) {
  const rows = await prisma.webhookDelivery.groupBy({
    by: ["status"],
    where: { shop },
    _count: true,
  });
  return Object.fromEntries(rows.map((row) => [row.status, row._count])) as Record<string, number>;
}

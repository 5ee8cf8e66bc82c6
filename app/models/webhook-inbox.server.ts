import { Prisma } from "@prisma/client";
import prisma from "~/db.server";

export interface IncomingDelivery {
  webhookId: string;
  shop: string;
  topic: string;
  apiVersion?: string;
  eventId?: string;
  triggeredAt?: Date;
  payload: unknown;
}

/** Stores a delivery once; a repeated X-Shopify-Webhook-Id is reported as a duplicate. */
export async function recordDelivery(delivery: IncomingDelivery): Promise<"stored" | "duplicate"> {
  try {
    await prisma.webhookDelivery.create({
      data: { ...delivery, payload: JSON.stringify(delivery.payload) },
    });
    return "stored";
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return "duplicate";
    throw error;
  }
}

export type ClaimedDelivery = Awaited<ReturnType<typeof claimDeliveries>>[number];

/**
 * Leases up to `limit` pending deliveries to one worker. The lease is taken with a conditional
 * update per row, so several app instances sharing a PostgreSQL database never process the same
 * delivery twice; an expired lease (crashed worker) makes the row claimable again.
 */
export async function claimDeliveries(
  workerId: string,
  limit: number,
  leaseMs = 60_000,
  now = new Date(),
) {
  const candidates = await prisma.webhookDelivery.findMany({
    where: { status: "pending", OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
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
  return prisma.webhookDelivery.findMany({
    where: { webhookId: { in: claimed } },
    orderBy: { receivedAt: "asc" },
  });
}

export async function markDeliveryDone(webhookId: string, now = new Date()) {
  await prisma.webhookDelivery.update({
    where: { webhookId },
    data: { status: "done", processedAt: now, lockedBy: null, lockedUntil: null, lastError: null },
  });
}

/** Releases a failed delivery for a retry after `retryInMs`, or fails it for good. */
export async function markDeliveryFailed(
  webhookId: string,
  error: string,
  retryInMs: number | null,
  now = new Date(),
) {
  await prisma.webhookDelivery.update({
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

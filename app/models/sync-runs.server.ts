/**
 * Sync runs (full imports and reconciliations): their progress and checkpoint, and the lease that
 * lets one process at a time work on a run.
 */
import prisma from "~/db.server";

export type SyncKind = "full" | "reconcile";

export async function createSyncRun(shop: string, kind: SyncKind, checkpoint: object) {
  return prisma.syncRun.create({
    data: { shop, kind, checkpoint: JSON.stringify(checkpoint) },
  });
}

export async function findSyncRun(id: string) {
  return prisma.syncRun.findUnique({ where: { id } });
}

export async function latestSyncRun(shop: string, kind?: SyncKind) {
  return prisma.syncRun.findFirst({
    where: { shop, ...(kind ? { kind } : {}) },
    orderBy: { startedAt: "desc" },
  });
}

/** Whether a full sync ever finished for the shop: until then the local copy is incomplete. */
export async function hasCompletedFullSync(shop: string) {
  return (await prisma.syncRun.count({ where: { shop, kind: "full", status: "succeeded" } })) > 0;
}

export interface SyncRunUpdate {
  status?: "running" | "succeeded" | "failed";
  phase?: string;
  bulkOperationId?: string | null;
  recordsDone?: number;
  recordsTotal?: number | null;
  checkpoint?: object;
  report?: object;
  error?: string | null;
  finishedAt?: Date | null;
}

export async function updateSyncRun(id: string, update: SyncRunUpdate) {
  const { checkpoint, report, ...rest } = update;
  await prisma.syncRun.update({
    where: { id },
    data: {
      ...rest,
      ...(checkpoint ? { checkpoint: JSON.stringify(checkpoint) } : {}),
      ...(report ? { report: JSON.stringify(report) } : {}),
    },
  });
}

/**
 * Takes or renews the run's lease for `owner` until `until`. False when another process holds a
 * lease that has not run out: it is working on the run. `replacing` names a holder known to be
 * gone, whose lease is taken even though it has not run out.
 */
export async function leaseSyncRun(
  id: string,
  owner: string,
  until: Date,
  { now = new Date(), replacing }: { now?: Date; replacing?: string } = {},
) {
  const holders = [owner, ...(replacing ? [replacing] : [])];
  const { count } = await prisma.syncRun.updateMany({
    where: {
      id,
      OR: [{ leasedBy: { in: holders } }, { leasedBy: null }, { leasedUntil: { lt: now } }],
    },
    data: { leasedBy: owner, leasedUntil: until },
  });
  return count === 1;
}

export async function releaseSyncRun(id: string, owner: string) {
  await prisma.syncRun.updateMany({
    where: { id, leasedBy: owner },
    data: { leasedBy: null, leasedUntil: null },
  });
}

/** Runs that did not succeed: still running (or died with their process) or failed. */
export async function unfinishedSyncRuns(kind: SyncKind) {
  return prisma.syncRun.findMany({ where: { kind, status: { in: ["running", "failed"] } } });
}

/** Finds the run waiting for a bulk operation (bulk_operations/finish webhook). */
export async function findRunByBulkOperation(shop: string, bulkOperationId: string) {
  return prisma.syncRun.findFirst({ where: { shop, bulkOperationId, status: "running" } });
}

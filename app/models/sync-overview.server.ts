import prisma from "~/db.server";
import { hasCompletedFullSync, latestSyncRun } from "./sync-runs.server";

export interface SyncOverview {
  /** The full sync to show: the unfinished one, else the last one. */
  full: {
    status: string;
    phase: string;
    recordsDone: number;
    recordsTotal: number | null;
    error: string | null;
    finishedAt: string | null;
  } | null;
  everCompleted: boolean;
  lastReconcile: { finishedAt: string | null; report: unknown } | null;
  scopes: string;
}

/** What the Overview shows about importing and keeping the shop in sync. */
export async function getSyncOverview(shop: string): Promise<SyncOverview> {
  const [full, everCompleted, reconcile, shopRow] = await Promise.all([
    latestSyncRun(shop, "full"),
    hasCompletedFullSync(shop),
    prisma.syncRun.findFirst({
      where: { shop, kind: "reconcile", status: "succeeded" },
      orderBy: { startedAt: "desc" },
    }),
    prisma.shop.findUnique({ where: { domain: shop }, select: { scopes: true } }),
  ]);
  return {
    full: full && {
      status: full.status,
      phase: full.phase,
      recordsDone: full.recordsDone,
      recordsTotal: full.recordsTotal,
      error: full.error,
      finishedAt: full.finishedAt?.toISOString() ?? null,
    },
    everCompleted,
    lastReconcile: reconcile && {
      finishedAt: reconcile.finishedAt?.toISOString() ?? null,
      report: reconcile.report ? JSON.parse(reconcile.report) : null,
    },
    scopes: shopRow?.scopes ?? "",
  };
}

/**
 * One process's work on a full sync run, step by step: it holds the run's lease, plans the bulk
 * exports, and for each one starts it (or takes the one started ahead), waits for Shopify to
 * prepare it and imports it, saving the checkpoint after every batch so any process can continue.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
  type ExportStep,
  exportSteps,
  exportsToPrestart,
  orderSliceCount,
  orderSlices,
  ORDERS_PER_SLICE,
} from "~/domain/sync/export-plan";
import {
  exportLost,
  exportStarted,
  type FullSyncCheckpoint,
  MAX_PHASE_ATTEMPTS,
  parseCheckpoint,
  plannerStatisticsDue,
  stepDone,
  takePrestarted,
} from "~/domain/sync/full-sync-checkpoint";
import type { SyncedResource } from "~/domain/sync/synced-resource";
import { refreshPlannerStatistics, type SyncedTable } from "~/models/bulk-sql.server";
import { recordScopes, recordShopLocale } from "~/models/shop.server";
import {
  findSyncRun,
  leaseSyncRun,
  releaseSyncRun,
  updateSyncRun,
} from "~/models/sync-runs.server";
import { type AdminGateway, ShopifyUserError } from "~/shopify/gateway.server";
import {
  CUSTOMERS_BULK_QUERY,
  ordersBulkQuery,
  PRODUCTS_BULK_QUERY,
} from "~/shopify/operations/sync-bulk-queries";
import { SHOP_SYNC_INFO } from "~/shopify/operations/sync-queries";
import { importBulkLines } from "./bulk-import.server";
import {
  type BulkOperationStatus,
  startBulkOperation,
  waitForBulkOperation,
} from "./bulk-operations.server";
import { FullSyncError, SyncTakenOver } from "./full-sync-errors";
import { DownloadError, fetchJsonLines } from "./jsonl";

export interface FullSyncProgress {
  runId: string;
  phase: string;
  /** The export being imported (`orders#1` is the orders' second date slice). */
  step: string;
  recordsDone: number;
  recordsTotal: number | null;
}

/** The tables each export writes, whose planner statistics its import keeps fresh. */
const TABLES_OF: Record<SyncedResource, SyncedTable[]> = {
  customers: ["Customer"],
  products: ["Product"],
  orders: ["Order", "LineItem"],
};

export interface FullSyncOptions {
  /** How often to ask Shopify about the bulk operation (the finish webhook ends waits early). */
  pollIntervalMs?: number;
  batchSize?: number;
  /** Identifies the process working on the run (tests play a second process with it). */
  worker?: string;
  /** Orders per date slice of the orders export (tests use small slices). */
  ordersPerSlice?: number;
  onProgress?: (progress: FullSyncProgress) => void;
  /** Test seam: runs after each committed batch (a throw here is a crash mid-import). */
  afterBatch?: (progress: FullSyncProgress) => Promise<void> | void;
}

/** Where a full sync's time went, per phase: SyncRun.report of a finished run. */
export interface FullSyncTimings {
  /** Waiting for Shopify to finish preparing the export. */
  waitedMs: number;
  /** Downloading and writing the export. */
  importedMs: number;
  /** Lines of the export this process wrote. */
  lines: number;
}

type SyncRun = NonNullable<Awaited<ReturnType<typeof findSyncRun>>>;

/** Downloads of one export's result (a reset, a 5xx, a file cut short) before the sync fails. */
const MAX_DOWNLOAD_ATTEMPTS = 4;
/** A lease runs out this long after its holder last renewed it (every batch and poll). */
const LEASE_MS = 2 * 60_000;

/** Identifies this process as the holder of sync leases: host, process id, and a nonce. */
const WORKER_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * A lease holder on this machine whose process no longer exists (killed, crashed): its run can be
 * taken at once instead of after the lease runs out.
 */
function isDeadHereOwner(owner: string) {
  const [host, pid] = owner.split(":");
  if (host !== hostname() || !/^\d+$/.test(pid ?? "")) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

const EXPORT_QUERIES: Record<SyncedResource, (search: string | null) => string> = {
  customers: () => CUSTOMERS_BULK_QUERY,
  products: () => PRODUCTS_BULK_QUERY,
  orders: ordersBulkQuery,
};

const startExport = (gateway: AdminGateway, step: ExportStep) =>
  startBulkOperation(gateway, step.key, EXPORT_QUERIES[step.phase](step.search));

/** Records the shop's scopes, currency and time zone; returns what the export plan needs to know. */
async function readShopInfo(gateway: AdminGateway) {
  const info = await gateway.request<{
    shop: { currencyCode: string; ianaTimezone: string };
    currentAppInstallation: { accessScopes: { handle: string }[] };
    customersCount: { count: number } | null;
    ordersCount: { count: number } | null;
    productsCount: { count: number } | null;
    oldestOrders: { nodes: { createdAt: string }[] };
  }>(SHOP_SYNC_INFO);
  const scopes = info.currentAppInstallation.accessScopes.map((s) => s.handle);
  await recordScopes(gateway.shop, scopes.join(","));
  await recordShopLocale(gateway.shop, info.shop);
  const oldestOrder = info.oldestOrders.nodes[0]?.createdAt;
  return {
    recordsTotal:
      (info.customersCount?.count ?? 0) +
      (info.ordersCount?.count ?? 0) +
      (info.productsCount?.count ?? 0),
    orders: info.ordersCount?.count ?? 0,
    oldestOrder: oldestOrder ? new Date(oldestOrder) : null,
  };
}

export class FullSyncRun {
  private readonly checkpoint: FullSyncCheckpoint;
  private recordsTotal: number | null;
  private steps: ExportStep[] = [];
  private readonly timings: Record<string, FullSyncTimings> = {};
  private readonly worker: string;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly gateway: AdminGateway,
    private readonly run: SyncRun,
    private readonly options: FullSyncOptions,
  ) {
    this.checkpoint = parseCheckpoint(run.checkpoint);
    this.recordsTotal = run.recordsTotal;
    this.worker = options.worker ?? WORKER_ID;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
  }

  private lease(replacing?: string) {
    return leaseSyncRun(this.run.id, this.worker, new Date(Date.now() + LEASE_MS), { replacing });
  }

  /** Several app instances may share the database: only the lease holder works on the run. */
  async takeLease() {
    const holder = this.run.leasedBy;
    if (!(await this.lease(holder && isDeadHereOwner(holder) ? holder : undefined)))
      throw new SyncTakenOver(`A full sync of ${this.gateway.shop} is running in another process`);
  }

  private async stillOurs() {
    if (!(await this.lease()))
      throw new SyncTakenOver(`Another process took over the full sync of ${this.gateway.shop}`);
  }

  /** Moves the checkpoint on and stores it with the run's phase; reports and returns progress. */
  private async save(update: Partial<FullSyncCheckpoint>, recordsDone?: number) {
    await this.stillOurs();
    Object.assign(this.checkpoint, update);
    const current = this.steps[this.checkpoint.step];
    const phase = current?.phase ?? "finalizing";
    await updateSyncRun(this.run.id, {
      status: "running",
      error: null,
      phase,
      bulkOperationId: this.checkpoint.bulkOperationId,
      checkpoint: this.checkpoint,
      ...(recordsDone !== undefined ? { recordsDone } : {}),
    });
    const progress = {
      runId: this.run.id,
      phase,
      step: current?.key ?? phase,
      recordsDone: recordsDone ?? this.checkpoint.recordsBefore,
      recordsTotal: this.recordsTotal,
    };
    this.options.onProgress?.(progress);
    return progress;
  }

  /** The export steps; a resumed run keeps the order slices it started with. */
  async plan() {
    const info = await readShopInfo(this.gateway);
    this.recordsTotal = info.recordsTotal;
    await updateSyncRun(this.run.id, { recordsTotal: this.recordsTotal });
    const slices =
      this.checkpoint.orderSlices ??
      orderSlices(
        info.oldestOrder,
        this.run.startedAt,
        orderSliceCount(info.orders, this.options.ordersPerSlice ?? ORDERS_PER_SLICE),
      );
    this.steps = exportSteps(slices);
    await this.save({ orderSlices: slices });
  }

  /** Every export step from the checkpoint's on. */
  async exportAll() {
    for (let index = this.checkpoint.step; index < this.steps.length; index++)
      await this.exportStep(index);
  }

  private async exportStep(index: number) {
    const step = this.steps[index];
    await this.prestartNextExports(index);
    const prestarted = takePrestarted(this.checkpoint, step.key);
    if (prestarted) await this.save(prestarted);
    const timing = (this.timings[step.key] = { waitedMs: 0, importedMs: 0, lines: 0 });
    const waitStarted = performance.now();
    const operation = await this.completedExport(step);
    const importStarted = performance.now();
    timing.waitedMs = Math.round(importStarted - waitStarted);
    if (operation.url) timing.lines = await this.importExport(step, operation, operation.url);
    timing.importedMs = Math.round(performance.now() - importStarted);
    const done = (await findSyncRun(this.run.id))!;
    await this.save(stepDone(index, done.recordsDone), done.recordsDone);
  }

  /**
   * The next steps' exports start now, so Shopify prepares them while this one imports. If
   * Shopify refuses (busy), that step simply starts its export when it comes.
   */
  private async prestartNextExports(current: number) {
    for (const later of exportsToPrestart(this.steps, current, this.checkpoint.prestarted)) {
      try {
        const id = await startExport(this.gateway, later);
        await this.save({ prestarted: { ...this.checkpoint.prestarted, [later.key]: id } });
      } catch (error) {
        if (!(error instanceof ShopifyUserError)) throw error;
      }
    }
  }

  /** The step's export once Shopify completed it; a failed or expired one is started again. */
  private async completedExport(step: ExportStep) {
    for (;;) {
      if (!this.checkpoint.bulkOperationId) {
        if (this.checkpoint.phaseAttempts >= MAX_PHASE_ATTEMPTS)
          throw new FullSyncError(`The ${step.key} export failed ${MAX_PHASE_ATTEMPTS} times`);
        const id = await startExport(this.gateway, step);
        await this.save(exportStarted(this.checkpoint, id));
      }
      const status = await waitForBulkOperation(
        this.gateway,
        this.checkpoint.bulkOperationId!,
        this.pollIntervalMs,
        () => this.stillOurs(),
      );
      if (status.status === "COMPLETED") return status;
      await this.save(exportLost);
    }
  }

  /**
   * Imports the export's file from the checkpoint's line on, downloading it again from the last
   * committed batch when a download fails. Returns the lines this process wrote.
   */
  private async importExport(step: ExportStep, operation: BulkOperationStatus, url: string) {
    const resumedAt = this.checkpoint.linesDone;
    const expected = Number(operation.objectCount);
    let statisticsAt = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const imported = await importBulkLines(this.gateway.shop, step.phase, fetchJsonLines(url), {
          skipLines: this.checkpoint.linesDone,
          batchSize: this.options.batchSize,
          observedAt: new Date(operation.createdAt),
          onBatch: async (progress) => {
            if (plannerStatisticsDue(statisticsAt, progress.linesDone)) {
              await refreshPlannerStatistics(TABLES_OF[step.phase]);
              statisticsAt = progress.linesDone;
            }
            const saved = await this.save(
              { linesDone: progress.linesDone },
              this.checkpoint.recordsBefore + progress.recordsDone,
            );
            await this.options.afterBatch?.(saved);
          },
        });
        // A file that ends early at a line boundary looks complete; taken as the whole
        // export, the sweep after the last export would delete every record it lacked.
        if (imported.linesDone < expected)
          throw new DownloadError(
            `the ${step.key} export ended after ${imported.linesDone} of ${expected} objects`,
          );
        return imported.linesDone - resumedAt;
      } catch (error) {
        if (!(error instanceof DownloadError) || attempt >= MAX_DOWNLOAD_ATTEMPTS) throw error;
        // Again from the last committed batch (the checkpoint), after a growing pause.
        await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs * 2 ** attempt));
      }
    }
  }

  /** Marks the run succeeded with where its time went; returns the finished run. */
  async succeed() {
    await updateSyncRun(this.run.id, {
      status: "succeeded",
      phase: "done",
      bulkOperationId: null,
      finishedAt: new Date(),
      report: { phases: this.timings },
    });
    this.options.onProgress?.({
      runId: this.run.id,
      phase: "done",
      step: "done",
      recordsDone: this.checkpoint.recordsBefore,
      recordsTotal: this.recordsTotal,
    });
    return (await findSyncRun(this.run.id))!;
  }

  async fail(error: unknown) {
    await updateSyncRun(this.run.id, {
      status: "failed",
      error: error instanceof Error ? error.message : String(error),
    });
  }

  release() {
    return releaseSyncRun(this.run.id, this.worker);
  }
}

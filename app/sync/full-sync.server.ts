import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { inTransaction } from "~/db.server";
import { notifyCustomersChanged } from "~/jobs/customer-changes.server";
import {
  customerIdsPage,
  customersNotSyncedSince,
  deleteCustomers,
} from "~/models/customers.server";
import { deleteOrders, ordersNotSyncedSince } from "~/models/orders.server";
import { deleteProducts, productsNotSyncedSince } from "~/models/products.server";
import { refreshPlannerStatistics } from "~/models/bulk-sql.server";
import { recordScopes, recordShopCurrency } from "~/models/shop.server";
import { setSyncCursor } from "~/models/sync-cursors.server";
import {
  createSyncRun,
  findSyncRun,
  latestSyncRun,
  leaseSyncRun,
  releaseSyncRun,
  updateSyncRun,
} from "~/models/sync-runs.server";
import { addTombstones } from "~/models/tombstones.server";
import { type AdminGateway, gatewayForShop, ShopifyUserError } from "~/shopify/gateway.server";
import { BULK_OPERATION_RUN_QUERY, BULK_OPERATION_STATUS } from "~/shopify/operations/bulk";
import {
  CUSTOMERS_BULK_QUERY,
  ordersBulkQuery,
  PRODUCTS_BULK_QUERY,
} from "~/shopify/operations/sync-bulk-queries";
import { SHOP_SYNC_INFO } from "~/shopify/operations/sync-queries";
import { waitForBulkOperationNews } from "./bulk-events.server";
import { type BulkPhase, importBulkLines } from "./bulk-import.server";
import { DownloadError, fetchJsonLines } from "./jsonl";

/**
 * One bulk export of a full sync. Orders come in date slices: Shopify prepares the next slice
 * while the app imports the current one, instead of the app waiting for one huge file.
 */
interface ExportStep {
  phase: BulkPhase;
  /** Stable name of the step (prestarted exports are keyed by it). */
  key: string;
  query: string;
}

/** Orders per date slice of the orders export; a few slices at most. */
const ORDERS_PER_SLICE = 100_000;
const MAX_ORDER_SLICES = 4;
/** Exports started ahead of the one being imported (Shopify runs up to five at once, 2026-01+). */
const EXPORTS_AHEAD = 2;

function exportSteps(orderSlices: (string | null)[]): ExportStep[] {
  return [
    { phase: "customers", key: "customers", query: CUSTOMERS_BULK_QUERY },
    { phase: "products", key: "products", query: PRODUCTS_BULK_QUERY },
    ...orderSlices.map((search, index) => ({
      phase: "orders" as const,
      key: `orders#${index}`,
      query: ordersBulkQuery(search),
    })),
  ];
}

/**
 * Search filters cutting the orders into `count` creation-date slices of equal length, from the
 * oldest order to `until`; the first and last are open-ended so no order falls between them.
 */
export function orderSlices(oldest: Date | null, until: Date, count: number): (string | null)[] {
  if (!oldest || count <= 1 || oldest >= until) return [null];
  const step = (until.getTime() - oldest.getTime()) / count;
  const bounds = Array.from({ length: count - 1 }, (_, index) =>
    new Date(oldest.getTime() + step * (index + 1)).toISOString(),
  );
  return Array.from({ length: count }, (_, index) =>
    [
      index > 0 ? `created_at:>='${bounds[index - 1]}'` : "",
      index < count - 1 ? `created_at:<'${bounds[index]}'` : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
}

/** Where a full sync stands; stored in SyncRun.checkpoint so any process can continue it. */
export interface FullSyncCheckpoint {
  /** Index of the current export step (see exportSteps); past the last one: finalizing. */
  step: number;
  /** The orders' date slices, fixed when the run starts so a resumed run cuts the same way. */
  orderSlices: (string | null)[] | null;
  bulkOperationId: string | null;
  /** Lines of the current step's file already written. */
  linesDone: number;
  /** Root records written in finished steps. */
  recordsBefore: number;
  /** Bulk operations this step started, to stop retrying a file that keeps failing. */
  phaseAttempts: number;
  /** Exports of later steps started ahead, so Shopify prepares them while earlier ones import. */
  prestarted: Record<string, string>;
}

export interface FullSyncProgress {
  runId: string;
  phase: string;
  /** The export being imported (`orders#1` is the orders' second date slice). */
  step: string;
  recordsDone: number;
  recordsTotal: number | null;
}

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

interface BulkOperationStatus {
  id: string;
  status: string;
  createdAt: string;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

const MAX_PHASE_ATTEMPTS = 3;
/** Downloads of one export's result (a reset, a 5xx, a file cut short) before the sync fails. */
const MAX_DOWNLOAD_ATTEMPTS = 4;
const FINISHED_FAILED = new Set(["FAILED", "CANCELED", "CANCELING", "EXPIRED"]);

function parseCheckpoint(text: string): FullSyncCheckpoint {
  const value = JSON.parse(text || "{}") as Partial<FullSyncCheckpoint>;
  return {
    step: value.step ?? 0,
    orderSlices: value.orderSlices ?? null,
    bulkOperationId: value.bulkOperationId ?? null,
    linesDone: value.linesDone ?? 0,
    recordsBefore: value.recordsBefore ?? 0,
    phaseAttempts: value.phaseAttempts ?? 0,
    prestarted: value.prestarted ?? {},
  };
}

export class FullSyncError extends Error {}

/** Another process holds the run's lease (it is running it, or took it over from this one). */
export class SyncTakenOver extends FullSyncError {}

/** Where a full sync's time went, per phase: SyncRun.report of a finished run. */
export interface FullSyncTimings {
  /** Waiting for Shopify to finish preparing the export. */
  waitedMs: number;
  /** Downloading and writing the export. */
  importedMs: number;
  /** Lines of the export this process wrote. */
  lines: number;
}

/**
 * The shop's unfinished full sync (running, or failed part-way), which a new request continues
 * rather than starting over; null when the last one succeeded or there is none.
 */
async function resumableRun(shop: string) {
  const latest = await latestSyncRun(shop, "full");
  return latest && latest.status !== "succeeded" ? latest : null;
}

async function readShopInfo(gateway: AdminGateway) {
  const info = await gateway.request<{
    shop: { currencyCode: string };
    currentAppInstallation: { accessScopes: { handle: string }[] };
    customersCount: { count: number } | null;
    ordersCount: { count: number } | null;
    productsCount: { count: number } | null;
    oldestOrders: { nodes: { createdAt: string }[] };
  }>(SHOP_SYNC_INFO);
  const scopes = info.currentAppInstallation.accessScopes.map((s) => s.handle);
  await recordScopes(gateway.shop, scopes.join(","));
  await recordShopCurrency(gateway.shop, info.shop.currencyCode);
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

async function startBulkOperation(gateway: AdminGateway, step: ExportStep) {
  const payload = await gateway.mutate<{ bulkOperation: { id: string } | null }>(
    BULK_OPERATION_RUN_QUERY,
    { query: step.query },
    "bulkOperationRunQuery",
  );
  if (!payload.bulkOperation)
    throw new FullSyncError(`Shopify did not start the ${step.key} export`);
  return payload.bulkOperation.id;
}

async function waitForBulkOperation(
  gateway: AdminGateway,
  id: string,
  pollIntervalMs: number,
  stillOurs: () => Promise<void>,
): Promise<BulkOperationStatus> {
  // Small exports finish in moments: ask again soon, then less often, up to pollIntervalMs.
  for (let wait = Math.min(250, pollIntervalMs); ; wait = Math.min(wait * 2, pollIntervalMs)) {
    await stillOurs();
    const { bulkOperation } = await gateway.request<{
      bulkOperation: BulkOperationStatus | null;
    }>(BULK_OPERATION_STATUS, { id });
    if (!bulkOperation) throw new FullSyncError(`Bulk operation ${id} is unknown to Shopify`);
    if (bulkOperation.status === "COMPLETED" || FINISHED_FAILED.has(bulkOperation.status))
      return bulkOperation;
    await waitForBulkOperationNews(id, wait);
  }
}

/**
 * Runs (or continues) the shop's full sync to the end: one bulk export per phase, streamed into
 * the tables, then the sweep of records Shopify no longer has. Until it succeeds the run stays
 * `running`/`failed`, so a half-synced shop never looks complete.
 */
export async function runFullSync(gateway: AdminGateway, options: FullSyncOptions = {}) {
  const shop = gateway.shop;
  if (activeHere.has(shop)) throw new FullSyncError(`A full sync of ${shop} is already running`);
  activeHere.add(shop);
  try {
    return await fullSync(gateway, options);
  } finally {
    activeHere.delete(shop);
  }
}

async function fullSync(gateway: AdminGateway, options: FullSyncOptions) {
  const shop = gateway.shop;
  const {
    pollIntervalMs = 5_000,
    batchSize,
    ordersPerSlice = ORDERS_PER_SLICE,
    worker = WORKER_ID,
    onProgress,
    afterBatch,
  } = options;
  const existing = await resumableRun(shop);
  const run = existing ?? (await createSyncRun(shop, "full", parseCheckpoint("{}")));
  // Several app instances may share the database: only the lease holder works on the run.
  const lease = (replacing?: string) =>
    leaseSyncRun(run.id, worker, new Date(Date.now() + LEASE_MS), { replacing });
  if (!(await lease(run.leasedBy && isDeadHereOwner(run.leasedBy) ? run.leasedBy : undefined)))
    throw new SyncTakenOver(`A full sync of ${shop} is running in another process`);
  const stillOurs = async () => {
    if (!(await lease()))
      throw new SyncTakenOver(`Another process took over the full sync of ${shop}`);
  };
  const checkpoint = parseCheckpoint(run.checkpoint);
  let recordsTotal = run.recordsTotal;
  const timings: Record<string, FullSyncTimings> = {};
  let steps: ExportStep[] = [];

  const save = async (update: Partial<FullSyncCheckpoint>, recordsDone?: number) => {
    await stillOurs();
    Object.assign(checkpoint, update);
    const current = steps[checkpoint.step];
    const phase = current?.phase ?? "finalizing";
    await updateSyncRun(run.id, {
      status: "running",
      error: null,
      phase,
      bulkOperationId: checkpoint.bulkOperationId,
      checkpoint,
      ...(recordsDone !== undefined ? { recordsDone } : {}),
    });
    const progress = {
      runId: run.id,
      phase,
      step: current?.key ?? phase,
      recordsDone: recordsDone ?? checkpoint.recordsBefore,
      recordsTotal,
    };
    onProgress?.(progress);
    return progress;
  };

  /**
   * The next steps' exports start now, so Shopify prepares them while this one imports. If
   * Shopify refuses (busy), that step simply starts its export when it comes.
   */
  const prestartNextExports = async (steps: ExportStep[], current: number) => {
    for (const later of steps.slice(current + 1, current + 1 + EXPORTS_AHEAD)) {
      if (checkpoint.prestarted[later.key]) continue;
      try {
        const id = await startBulkOperation(gateway, later);
        await save({ prestarted: { ...checkpoint.prestarted, [later.key]: id } });
      } catch (error) {
        if (!(error instanceof ShopifyUserError)) throw error;
      }
    }
  };

  try {
    const info = await readShopInfo(gateway);
    recordsTotal = info.recordsTotal;
    await updateSyncRun(run.id, { recordsTotal });
    const slices =
      checkpoint.orderSlices ??
      orderSlices(
        info.oldestOrder,
        run.startedAt,
        Math.min(MAX_ORDER_SLICES, Math.ceil(info.orders / ordersPerSlice)),
      );
    steps = exportSteps(slices);
    await save({ orderSlices: slices });

    for (let index = checkpoint.step; index < steps.length; index++) {
      const step = steps[index];
      const phase = step.phase;
      await prestartNextExports(steps, index);
      const ahead = checkpoint.prestarted[step.key];
      if (!checkpoint.bulkOperationId && ahead) {
        const { [step.key]: _taken, ...rest } = checkpoint.prestarted;
        await save({ bulkOperationId: ahead, linesDone: 0, phaseAttempts: 1, prestarted: rest });
      }
      const timing = (timings[step.key] = { waitedMs: 0, importedMs: 0, lines: 0 });
      const waitStarted = performance.now();
      let operation: BulkOperationStatus | null = null;
      while (!operation) {
        if (!checkpoint.bulkOperationId) {
          if (checkpoint.phaseAttempts >= MAX_PHASE_ATTEMPTS)
            throw new FullSyncError(`The ${step.key} export failed ${MAX_PHASE_ATTEMPTS} times`);
          const id = await startBulkOperation(gateway, step);
          await save({
            bulkOperationId: id,
            linesDone: 0,
            phaseAttempts: checkpoint.phaseAttempts + 1,
          });
        }
        const status = await waitForBulkOperation(
          gateway,
          checkpoint.bulkOperationId!,
          pollIntervalMs,
          stillOurs,
        );
        if (status.status === "COMPLETED") operation = status;
        // A failed or expired export is started again, from the first line.
        else await save({ bulkOperationId: null, linesDone: 0 });
      }
      const importStarted = performance.now();
      timing.waitedMs = Math.round(importStarted - waitStarted);
      if (operation.url) {
        const resumedAt = checkpoint.linesDone;
        const expected = Number(operation.objectCount);
        for (let attempt = 1; ; attempt++) {
          try {
            const imported = await importBulkLines(shop, phase, fetchJsonLines(operation.url), {
              skipLines: checkpoint.linesDone,
              batchSize,
              observedAt: new Date(operation.createdAt),
              onBatch: async (progress) => {
                const saved = await save(
                  { linesDone: progress.linesDone },
                  checkpoint.recordsBefore + progress.recordsDone,
                );
                await afterBatch?.(saved);
              },
            });
            // A file that ends early at a line boundary looks complete; taken as the whole
            // export, the sweep after the last export would delete every record it lacked.
            if (imported.linesDone < expected)
              throw new DownloadError(
                `the ${step.key} export ended after ${imported.linesDone} of ${expected} objects`,
              );
            timing.lines = imported.linesDone - resumedAt;
            break;
          } catch (error) {
            if (!(error instanceof DownloadError) || attempt >= MAX_DOWNLOAD_ATTEMPTS) throw error;
            // Again from the last committed batch (the checkpoint), after a growing pause.
            await new Promise((resolve) => setTimeout(resolve, pollIntervalMs * 2 ** attempt));
          }
        }
      }
      timing.importedMs = Math.round(performance.now() - importStarted);
      const done = (await findSyncRun(run.id))!;
      await save(
        {
          step: index + 1,
          bulkOperationId: null,
          linesDone: 0,
          phaseAttempts: 0,
          recordsBefore: done.recordsDone,
        },
        done.recordsDone,
      );
    }

    await finalize(shop, run.startedAt);
    await updateSyncRun(run.id, {
      status: "succeeded",
      phase: "done",
      bulkOperationId: null,
      finishedAt: new Date(),
      report: { phases: timings },
    });
    onProgress?.({
      runId: run.id,
      phase: "done",
      step: "done",
      recordsDone: checkpoint.recordsBefore,
      recordsTotal,
    });
    return (await findSyncRun(run.id))!;
  } catch (error) {
    // A run another process took over is that process's to finish (or fail).
    if (!(error instanceof SyncTakenOver))
      await updateSyncRun(run.id, {
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
      });
    throw error;
  } finally {
    await releaseSyncRun(run.id, worker);
  }
}

/**
 * After every export is in: records the sync did not see were deleted in Shopify while the app
 * was not listening; reconciliation continues from when this sync began; segments recompute.
 */
async function finalize(shop: string, startedAt: Date) {
  const goneCustomers = await customersNotSyncedSince(shop, startedAt);
  const goneOrders = await ordersNotSyncedSince(shop, startedAt);
  const goneProducts = await productsNotSyncedSince(shop, startedAt);
  const now = new Date();
  const touched = await inTransaction(async (tx) => {
    await addTombstones(tx, shop, [...goneCustomers, ...goneOrders, ...goneProducts], now);
    await deleteCustomers(tx, shop, goneCustomers);
    await deleteProducts(tx, shop, goneProducts);
    return deleteOrders(tx, shop, goneOrders);
  });
  for (const resource of ["customers", "orders", "products"])
    await setSyncCursor(shop, resource, startedAt);
  await refreshPlannerStatistics();
  await notifyCustomersChanged(shop, [...goneCustomers, ...touched]);
  for (let after: string | null = null; ;) {
    const ids = await customerIdsPage(shop, after, 5_000);
    if (ids.length === 0) break;
    await notifyCustomersChanged(shop, ids);
    after = ids[ids.length - 1];
  }
}

// ---- starting syncs in the background ----------------------------------------------------

/** Shops whose full sync this process is running (any caller). */
const activeHere = new Set<string>();
const inProcess = new Map<string, Promise<unknown>>();

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
/** A lease runs out this long after its holder last renewed it (every batch and poll). */
const LEASE_MS = 2 * 60_000;

/** Whether nobody is working on this unfinished run any more (crash, restart): no live lease. */
export function isAbandoned(run: { leasedUntil: Date | null }, now = new Date()) {
  return !run.leasedUntil || run.leasedUntil < now;
}

/**
 * Starts (or continues) the shop's full sync in the background of this process and returns at
 * once; a second call while one runs is a no-op. Progress is in SyncRun.
 */
export function startFullSync(shop: string, options: FullSyncOptions = {}) {
  const current = inProcess.get(shop);
  if (current) return current;
  if (activeHere.has(shop)) return Promise.resolve();
  const work = (async () => {
    const gateway = await gatewayForShop(shop);
    return runFullSync(gateway, options);
  })()
    .catch((error) => {
      console.error(`full sync of ${shop} failed:`, error instanceof Error ? error.message : error);
    })
    .finally(() => inProcess.delete(shop));
  inProcess.set(shop, work);
  return work;
}

/** Whether this process is running the shop's full sync right now. */
export function isFullSyncRunningHere(shop: string) {
  return activeHere.has(shop);
}

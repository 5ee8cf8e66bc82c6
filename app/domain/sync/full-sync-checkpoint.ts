/**
 * Where a full sync stands, stored in SyncRun.checkpoint so any process can continue it, and how
 * each event of an export step moves it on.
 */

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

/** Exports one step may start before the sync fails. */
export const MAX_PHASE_ATTEMPTS = 3;

export function parseCheckpoint(text: string): FullSyncCheckpoint {
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

/** The step's export was started ahead: it becomes the step's first attempt. Null: it was not. */
export function takePrestarted(
  checkpoint: FullSyncCheckpoint,
  key: string,
): Partial<FullSyncCheckpoint> | null {
  const ahead = checkpoint.prestarted[key];
  if (checkpoint.bulkOperationId || !ahead) return null;
  const { [key]: _taken, ...rest } = checkpoint.prestarted;
  return { bulkOperationId: ahead, linesDone: 0, phaseAttempts: 1, prestarted: rest };
}

/** The step started export `bulkOperationId` (another attempt), from the first line. */
export function exportStarted(
  checkpoint: FullSyncCheckpoint,
  bulkOperationId: string,
): Partial<FullSyncCheckpoint> {
  return { bulkOperationId, linesDone: 0, phaseAttempts: checkpoint.phaseAttempts + 1 };
}

/** The step's export failed or expired: it is started again, from the first line. */
export const exportLost: Readonly<Partial<FullSyncCheckpoint>> = {
  bulkOperationId: null,
  linesDone: 0,
};

/** Step `index` is imported: the next one begins, `recordsDone` root records in. */
export function stepDone(index: number, recordsDone: number): Partial<FullSyncCheckpoint> {
  return {
    step: index + 1,
    bulkOperationId: null,
    linesDone: 0,
    phaseAttempts: 0,
    recordsBefore: recordsDone,
  };
}

/** Lines of an export imported before PostgreSQL's planner statistics are first refreshed. */
const FIRST_STATISTICS_AT = 2_000;

/**
 * Whether the planner statistics are due, `linesDone` into an export whose import last refreshed
 * them at `refreshedAt` lines (0: not yet in this process). Refreshing whenever the import has
 * doubled costs a few ANALYZEs per export; without them the planner believes a growing shop has
 * no orders and checks each batch's ids against all of them (autovacuum may be late, or off).
 */
export function plannerStatisticsDue(refreshedAt: number, linesDone: number) {
  return linesDone >= Math.max(FIRST_STATISTICS_AT, 2 * refreshedAt);
}

// app/sync/schedule.server.ts imports these from here; it is being replaced by the job system, so
// it is not edited meanwhile. The sync models are sync-runs, sync-cursors, tombstones, live-rows,
// bulk-upsert, offline-sessions and sync-overview.
export { hasCompletedFullSync, latestSyncRun, unfinishedSyncRuns } from "./sync-runs.server";
export { shopsToReconcile } from "./shop.server";

export class FullSyncError extends Error {}

/** Another process holds the run's lease (it is running it, or took it over from this one). */
export class SyncTakenOver extends FullSyncError {}

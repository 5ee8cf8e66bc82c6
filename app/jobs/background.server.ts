import { startDailyRecompute } from "~/segments/schedule.server";
import { startSyncSchedule } from "~/sync/schedule.server";
import { startTagSchedule } from "~/tags/schedule.server";
import { startInboxWorker } from "./webhook-worker.server";

let started = false;

/** Starts the in-process workers once per server process (not under tests, which drive them). */
export function startBackgroundWork() {
  if (started || process.env.NODE_ENV === "test") return;
  started = true;
  startInboxWorker();
  startDailyRecompute();
  startSyncSchedule();
  startTagSchedule();
}

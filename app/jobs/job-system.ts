/**
 * The one job system all background work runs on. Two engines give it the same meaning:
 * pg-boss on PostgreSQL (many app instances share the work) and an in-process engine on SQLite
 * (one process). What a job means is decided by the pipeline (app/pipeline.server.ts); an engine
 * only decides where and when it runs.
 *
 * Semantics both engines keep:
 * - A job belongs to a shop (`data.shop`), or to the app for a schedule's fan-out. Per job name
 *   and shop, at most one runs and at most one waits: sending while one waits does nothing (the
 *   waiting one will do the same work), sending while one runs queues one more.
 * - A job that throws is retried with exponential backoff, up to `retries` times.
 * - A schedule (a cron expression, UTC, seconds optional) sends its job once per occurrence, on
 *   one instance only.
 * - PostgreSQL only: a job whose worker dies (no heartbeat for `heartbeatSeconds`) is retried by
 *   another instance; one process's in-process jobs die with it, so every job is written to
 *   resume from durable state (the inbox, sync runs) and the schedules send them again.
 */
import { CronExpressionParser } from "cron-parser";

export interface JobData {
  shop?: string;
  [key: string]: unknown;
}

export interface JobSpec<D extends JobData = JobData> {
  /** Does the job; what it resolves to is its outcome, kept with the job (JSON) for a look. */
  run(data: D): Promise<unknown>;
  /** Retries after a failure (default 5), backing off from `retryDelaySeconds` (default 2). */
  retries?: number;
  retryDelaySeconds?: number;
  /** Without a heartbeat for this long, a running job is taken to be dead (at least 10). */
  heartbeatSeconds?: number;
  /** The longest one run may take before it is failed and retried (default 15 minutes). */
  expireInSeconds?: number;
  /** Jobs of this name run at once per process, for different shops (default 2). */
  concurrency?: number;
}

export type JobTable = Record<string, JobSpec<never>>;

/** Cron expression (UTC; a sixth leading field gives seconds) per job name to send on it. */
export type Schedules = Record<string, string>;

export interface SendOptions {
  /** Runs no earlier than this many seconds from now. */
  delaySeconds?: number;
}

/** How a job of one name and shop last ended. */
export interface LastRun {
  finishedAt: Date;
  /** It threw (a retry may follow). */
  failed: boolean;
}

export interface JobSystem {
  /** Queues a job; false when one for the same name and shop was already waiting. */
  send(name: string, data: JobData, options?: SendOptions): Promise<boolean>;
  /** Starts running jobs and schedules in this process. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
  /**
   * When the last job of `name` for `key` (a shop, or "app") ended, or null when none is known:
   * pg-boss keeps ended jobs for a week, the in-process engine since this process started.
   */
  lastRun(name: string, key: string): Promise<LastRun | null>;
}

/** The key that serialises a job: its shop, or the app-wide key of a schedule's fan-out. */
export const jobKey = (data: JobData) => data.shop ?? "app";

export const DEFAULT_RETRIES = 5;
export const DEFAULT_RETRY_DELAY_SECONDS = 2;
export const DEFAULT_CONCURRENCY = 2;

/** The first occurrence of a schedule (a cron expression, UTC) after `now`. */
export function nextOccurrence(cron: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { tz: "UTC", currentDate: now }).next().toDate();
}

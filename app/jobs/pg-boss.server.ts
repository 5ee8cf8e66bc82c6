/**
 * The job system's engine for PostgreSQL: pg-boss, so several app instances share the work
 * through the database. Each job name is a queue with the `stately` policy keyed by shop (one
 * running and one waiting per shop, across instances); retries back off exponentially; a running
 * job heartbeats and is retried elsewhere when its instance dies; schedules are pg-boss cron
 * schedules, sent by one instance per occurrence.
 */
import { PgBoss } from "pg-boss";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY_SECONDS,
  jobKey,
  type JobData,
  type JobSpec,
  type JobSystem,
  type JobTable,
  type LastRun,
  type Schedules,
  type SendOptions,
} from "./job-system";
import { logger } from "~/logger.server";

/** pg-boss keeps its tables in a schema of its own, beside the app's. */
export const JOBS_SCHEMA = "jobs";

export interface PgBossOptions {
  /** How often an idle worker looks for jobs when no notification woke it (seconds, ≥ 0.5). */
  pollingIntervalSeconds?: number;
}

export class PgBossJobs implements JobSystem {
  private ready: Promise<PgBoss> | null = null;
  private working = false;

  constructor(
    private readonly connectionString: string,
    private readonly jobs: JobTable,
    private readonly schedules: Schedules = {},
    private readonly options: PgBossOptions = {},
  ) {}

  /**
   * Installs pg-boss and the queues once. A process that only sends (the CLI, tests) runs no
   * maintenance and no cron; a working one (`start`) runs both.
   */
  private install(working: boolean) {
    this.ready ??= (async () => {
      const boss = new PgBoss({
        connectionString: this.connectionString,
        schema: JOBS_SCHEMA,
        max: 6,
        useListenNotify: working,
        supervise: working,
        schedule: working,
        // Cron is checked every second, so per-second test schedules keep time too.
        cronWorkerIntervalSeconds: 1,
        // Expired jobs and missed heartbeats are looked for every 15 s (default: every minute).
        superviseIntervalSeconds: 15,
        monitorIntervalSeconds: 15,
      });
      boss.on("error", (error) => logger.error({ err: error }, "job system error"));
      await boss.start();
      for (const [name, spec] of Object.entries(this.jobs) as [string, JobSpec][])
        await boss.createQueue(name, {
          policy: "stately",
          notify: true,
          retryLimit: spec.retries ?? DEFAULT_RETRIES,
          retryDelay: spec.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS,
          retryBackoff: true,
          retryDelayMax: 600,
          expireInSeconds: spec.expireInSeconds ?? 15 * 60,
          ...(spec.heartbeatSeconds ? { heartbeatSeconds: spec.heartbeatSeconds } : {}),
        });
      return boss;
    })();
    return this.ready;
  }

  async send(name: string, data: JobData, options: SendOptions = {}) {
    const boss = await this.install(false);
    const id = await boss.send(name, data, {
      singletonKey: jobKey(data),
      ...(options.delaySeconds ? { startAfter: options.delaySeconds } : {}),
    });
    return id !== null;
  }

  async start() {
    if (this.working) return;
    // A sending-only instance is replaced by a working one.
    if (this.ready) await this.stop();
    this.working = true;
    const boss = await this.install(true);
    for (const [name, spec] of Object.entries(this.jobs) as [string, JobSpec][])
      await boss.work<JobData>(
        name,
        {
          localConcurrency: spec.concurrency ?? DEFAULT_CONCURRENCY,
          pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2,
        },
        async ([job]) => {
          try {
            return await spec.run(job.data);
          } catch (error) {
            logger.warn({ err: error, job: name, shop: job.data.shop }, "job failed");
            throw error;
          }
        },
      );
    for (const schedule of await boss.getSchedules())
      if (!(schedule.name in this.schedules)) await boss.unschedule(schedule.name);
    for (const [name, cron] of Object.entries(this.schedules))
      await boss.schedule(name, cron, {}, { tz: "UTC", singletonKey: jobKey({}), missed: "once" });
  }

  async lastRun(name: string, key: string): Promise<LastRun | null> {
    const boss = await this.install(false);
    // Ended jobs are kept a week (pg-boss's default); job_i16 indexes (name, completed_on).
    const { rows } = await boss.getDb().executeSql(
      `SELECT completed_on AS "finishedAt", state FROM ${JOBS_SCHEMA}.job
          WHERE name = $1 AND singleton_key = $2 AND completed_on IS NOT NULL
            AND state IN ('completed', 'failed')
          ORDER BY completed_on DESC LIMIT 1`,
      [name, key],
    );
    const row = rows[0] as { finishedAt: Date | string; state: string } | undefined;
    return row ? { finishedAt: new Date(row.finishedAt), failed: row.state !== "completed" } : null;
  }

  async stop() {
    const ready = this.ready;
    this.ready = null;
    this.working = false;
    if (!ready) return;
    await (await ready).stop({ graceful: true, timeout: 30_000 });
  }
}

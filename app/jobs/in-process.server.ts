/**
 * The job system's engine for SQLite, where one process owns the database: jobs live in memory,
 * one running and one waiting per job name and shop, retried with backoff; schedules fire on
 * timers from their cron expressions. A restart loses waiting jobs by design: every job resumes
 * from durable state and the schedules send them again (see job-system.ts).
 */
import {
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY_SECONDS,
  jobKey,
  type JobData,
  type JobSpec,
  type JobSystem,
  type JobTable,
  type LastRun,
  nextOccurrence,
  type Schedules,
  type SendOptions,
} from "./job-system";
import { logger } from "~/logger.server";

interface Slot {
  running: Promise<void> | null;
  waiting: { data: JobData; attempt: number; timer: NodeJS.Timeout | null } | null;
}

export class InProcessJobs implements JobSystem {
  private readonly slots = new Map<string, Slot>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** How each job name and key last ended, since this process started. */
  private readonly ended = new Map<string, LastRun>();
  private started = false;

  constructor(
    private readonly jobs: JobTable,
    private readonly schedules: Schedules = {},
  ) {}

  async send(name: string, data: JobData, options: SendOptions = {}) {
    return this.enqueue(name, data, 0, (options.delaySeconds ?? 0) * 1000);
  }

  async start() {
    if (this.started) return;
    this.started = true;
    for (const [name, cron] of Object.entries(this.schedules)) this.scheduleNext(name, cron);
    for (const slotKey of this.slots.keys()) this.runIfReady(slotKey);
  }

  async stop() {
    this.started = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const slot of this.slots.values())
      if (slot.waiting?.timer) clearTimeout(slot.waiting.timer);
    await this.idle();
  }

  async lastRun(name: string, key: string) {
    return this.ended.get(`${name}\u0000${key}`) ?? null;
  }

  /** Resolves once no job runs (waiting ones may remain, e.g. delayed or not started). */
  async idle() {
    for (;;) {
      const running = [...this.slots.values()].flatMap((slot) => slot.running ?? []);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Runs every waiting job of `name` now, delay or not (tests, the CLI), and waits for them. */
  async runWaiting(name: string) {
    for (const [slotKey, slot] of this.waitingSlots(name)) {
      if (slot.waiting?.timer) clearTimeout(slot.waiting.timer);
      if (slot.waiting) slot.waiting.timer = null;
      this.runIfReady(slotKey, true);
    }
    await this.idle();
  }

  /** The shops (or app key) with a job of `name` waiting. */
  waitingKeys(name: string) {
    return this.waitingSlots(name).map(([slotKey]) => slotKey.slice(name.length + 1));
  }

  private waitingSlots(name: string) {
    return [...this.slots.entries()].filter(
      ([slotKey, slot]) => slotKey.startsWith(`${name}\u0000`) && slot.waiting,
    );
  }

  private enqueue(name: string, data: JobData, attempt: number, delayMs: number) {
    if (!this.jobs[name]) throw new Error(`no job is named ${name}`);
    const slotKey = `${name}\u0000${jobKey(data)}`;
    const slot = this.slots.get(slotKey) ?? { running: null, waiting: null };
    this.slots.set(slotKey, slot);
    if (slot.waiting) return false;
    const timer =
      delayMs > 0
        ? setTimeout(() => {
            if (slot.waiting) slot.waiting.timer = null;
            this.runIfReady(slotKey);
          }, delayMs)
        : null;
    timer?.unref();
    slot.waiting = { data, attempt, timer };
    this.runIfReady(slotKey);
    return true;
  }

  private runIfReady(slotKey: string, evenIfStopped = false) {
    const slot = this.slots.get(slotKey);
    if (!slot?.waiting || slot.running || slot.waiting.timer) return;
    if (!this.started && !evenIfStopped) return;
    const { data, attempt } = slot.waiting;
    slot.waiting = null;
    const name = slotKey.slice(0, slotKey.indexOf("\u0000"));
    const spec = this.jobs[name] as JobSpec;
    const ended = (failed: boolean) => this.ended.set(slotKey, { finishedAt: new Date(), failed });
    slot.running = spec
      .run(data)
      .then((outcome) => {
        ended(false);
        logger.debug({ job: name, shop: data.shop, outcome }, "job done");
      })
      .catch((error: unknown) => {
        ended(true);
        const retries = spec.retries ?? DEFAULT_RETRIES;
        const log = logger.child({ job: name, shop: data.shop, attempt });
        if (attempt >= retries) return log.error({ err: error }, "job failed for good");
        log.warn({ err: error }, "job failed; retrying");
        const delay = (spec.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS) * 2 ** attempt;
        // A job that waits already does the same work; it takes the retry's place.
        if (!slot.waiting) this.enqueue(name, data, attempt + 1, delay * 1000);
      })
      .finally(() => {
        slot.running = null;
        if (slot.waiting) this.runIfReady(slotKey);
        else this.slots.delete(slotKey);
      });
  }

  private scheduleNext(name: string, cron: string) {
    if (!this.started) return;
    const next = nextOccurrence(cron, new Date()).getTime();
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void this.send(name, {});
        this.scheduleNext(name, cron);
      },
      Math.max(0, next - Date.now()),
    );
    timer.unref();
    this.timers.add(timer);
  }
}

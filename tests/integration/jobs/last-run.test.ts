// The job system's read side, on the engine of the test database (pg-boss on PostgreSQL, the
// in-process engine on SQLite): when a shop's job last ended, whether it failed, and when a
// schedule fires next; the pipeline's automatic work reports both per job.
import { afterEach, describe, expect, it } from "vitest";
import { databaseProvider } from "../../../prisma/provider.js";
import { InProcessJobs } from "~/jobs/in-process.server";
import { nextOccurrence, type JobSpec, type JobSystem, type JobTable } from "~/jobs/job-system";
import { PgBossJobs } from "~/jobs/pg-boss.server";
import { AUTOMATIC_WORK, createPipeline, SCHEDULES } from "~/pipeline.server";

const url = process.env.DATABASE_URL ?? "";
const onPostgres = databaseProvider(url) === "postgresql";
const engineFor = (jobs: JobTable) =>
  onPostgres
    ? new PgBossJobs(url, jobs, {}, { pollingIntervalSeconds: 0.5 })
    : new InProcessJobs(jobs);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean) {
  for (let waited = 0; waited < 30_000; waited += 100) {
    const value = await read();
    if (done(value)) return value;
    await sleep(100);
  }
  throw new Error("timed out");
}

let engine: JobSystem | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

describe(`job system read API (${onPostgres ? "pg-boss" : "in-process"})`, () => {
  it("reports a shop's last ended job, failed or not, and nothing for a shop without one", async () => {
    const suffix = Date.now().toString(36);
    const shopOk = `ok-${suffix}.myshopify.com`;
    const shopBad = `bad-${suffix}.myshopify.com`;
    const name = `test.last-run-${suffix}`;
    const spec: JobSpec<{ shop: string }> = {
      retries: 0,
      run: async ({ shop }) => {
        if (shop === shopBad) throw new Error("Shopify is down");
        return { done: true };
      },
    };
    engine = engineFor({ [name]: spec as JobSpec<never> });
    await engine.start();
    expect(await engine.lastRun(name, shopOk)).toBeNull();

    const before = Date.now();
    await engine.send(name, { shop: shopOk });
    await engine.send(name, { shop: shopBad });
    const ok = await until(
      () => engine!.lastRun(name, shopOk),
      (run) => run !== null,
    );
    const bad = await until(
      () => engine!.lastRun(name, shopBad),
      (run) => run !== null,
    );
    expect(ok!.failed).toBe(false);
    expect(bad!.failed).toBe(true);
    // Database and process clocks may differ by a little.
    expect(ok!.finishedAt.getTime()).toBeGreaterThanOrEqual(before - 2_000);
    expect(ok!.finishedAt.getTime()).toBeLessThanOrEqual(Date.now() + 2_000);
    expect(await engine.lastRun(name, `other-${suffix}.myshopify.com`)).toBeNull();

    // A later run is the one reported.
    await sleep(50);
    await engine.send(name, { shop: shopOk });
    const later = await until(
      () => engine!.lastRun(name, shopOk),
      (run) => run !== null && run.finishedAt > ok!.finishedAt,
    );
    expect(later!.failed).toBe(false);
  });

  it("finds a schedule's next occurrence in UTC", () => {
    const now = new Date("2026-12-07T10:02:30Z");
    expect(nextOccurrence("*/5 * * * *", now).toISOString()).toBe("2026-12-07T10:05:00.000Z");
    expect(nextOccurrence("17 3 * * *", now).toISOString()).toBe("2026-12-08T03:17:00.000Z");
    expect(nextOccurrence("7 * * * *", now).toISOString()).toBe("2026-12-07T10:07:00.000Z");
  });

  it("reports the pipeline's automatic work per job: the engine's last run and the next check", async () => {
    const ended = new Date("2026-12-07T10:00:04Z");
    const asked: string[] = [];
    const pipeline = createPipeline((jobs) => {
      const inner = new InProcessJobs(jobs);
      inner.lastRun = async (name, key) => {
        asked.push(`${name} ${key}`);
        return name === "tags.write" ? { finishedAt: ended, failed: false } : null;
      };
      return inner;
    });
    const work = await pipeline.automaticWork("x.myshopify.com", new Date("2026-12-07T10:02:30Z"));
    expect(work.map((entry) => entry.job)).toEqual(Object.keys(AUTOMATIC_WORK));
    expect(asked.sort()).toEqual(
      Object.keys(AUTOMATIC_WORK)
        .map((job) => `${job} x.myshopify.com`)
        .sort(),
    );
    const tags = work.find((entry) => entry.job === "tags.write")!;
    expect(tags).toMatchObject({
      cron: SCHEDULES["schedule.tags"],
      lastRun: { finishedAt: ended },
    });
    expect(tags.nextCheck.toISOString()).toBe("2026-12-07T10:05:00.000Z");
    const publish = work.find((entry) => entry.job === "storefront.publish")!;
    expect(publish.lastRun).toBeNull();
    expect(publish.nextCheck.toISOString()).toBe("2026-12-08T03:17:00.000Z");
  });
});

// The in-process engine (SQLite's) keeps the job system's meaning: per job name and shop one job
// runs and one waits, failures are retried with backoff, delayed jobs wait, schedules fire.
import { afterEach, describe, expect, it } from "vitest";
import { InProcessJobs } from "~/jobs/in-process.server";
import type { JobData, JobSpec } from "~/jobs/job-system";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let engine: InProcessJobs | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

/** A job that records its runs and finishes when told to. */
function gatedJob() {
  const runs: JobData[] = [];
  const gates: (() => void)[] = [];
  const spec: JobSpec<JobData> = {
    run: (data) => {
      runs.push(data);
      return new Promise<void>((resolve) => gates.push(resolve));
    },
  };
  return { spec, runs, release: () => gates.shift()?.() };
}

describe("in-process jobs", () => {
  it("runs one job per shop at a time and keeps one waiting; other shops run meanwhile", async () => {
    const job = gatedJob();
    engine = new InProcessJobs({ work: job.spec as JobSpec<never> });
    await engine.start();
    expect(await engine.send("work", { shop: "a" })).toBe(true);
    expect(await engine.send("work", { shop: "a", n: 2 })).toBe(true);
    // A third while one waits does the same work as the waiting one: not queued.
    expect(await engine.send("work", { shop: "a", n: 3 })).toBe(false);
    expect(await engine.send("work", { shop: "b" })).toBe(true);
    await sleep(5);
    expect(job.runs).toEqual([{ shop: "a" }, { shop: "b" }]);
    job.release();
    await sleep(5);
    expect(job.runs).toEqual([{ shop: "a" }, { shop: "b" }, { shop: "a", n: 2 }]);
    job.release();
    job.release();
    await engine.idle();
    expect(engine.waitingKeys("work")).toEqual([]);
  });

  it("retries a failing job with backoff, up to its retries", async () => {
    const attempts: number[] = [];
    const started = Date.now();
    engine = new InProcessJobs({
      flaky: {
        retries: 2,
        retryDelaySeconds: 0.02,
        run: async () => {
          attempts.push(Date.now() - started);
          throw new Error("Shopify is down");
        },
      },
    });
    await engine.start();
    await engine.send("flaky", { shop: "a" });
    await sleep(200);
    expect(attempts).toHaveLength(3);
    // 20 ms, then 40 ms (exponential).
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(18);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(38);
  });

  it("holds a delayed job until its time, or until it is run on purpose", async () => {
    const runs: string[] = [];
    engine = new InProcessJobs({
      later: { run: async (data: JobData) => void runs.push(data.shop!) } as JobSpec<never>,
    });
    await engine.start();
    await engine.send("later", { shop: "a" }, { delaySeconds: 0.05 });
    await engine.send("later", { shop: "b" }, { delaySeconds: 60 });
    await sleep(20);
    expect(runs).toEqual([]);
    await sleep(60);
    expect(runs).toEqual(["a"]);
    expect(engine.waitingKeys("later")).toEqual(["b"]);
    await engine.runWaiting("later");
    expect(runs).toEqual(["a", "b"]);
  });

  it("sends a schedule's job on each occurrence, only while started", async () => {
    let ticks = 0;
    engine = new InProcessJobs(
      { tick: { run: async () => void ticks++ } },
      { tick: "* * * * * *" },
    );
    await engine.send("tick", {});
    await sleep(20);
    expect(ticks).toBe(0);
    await engine.start();
    await sleep(2_100);
    expect(ticks).toBeGreaterThanOrEqual(2);
    await engine.stop();
    const stopped = ticks;
    await sleep(1_100);
    expect(ticks).toBe(stopped);
  });

  it("refuses a job nobody defined", async () => {
    engine = new InProcessJobs({});
    await expect(engine.send("nope", {})).rejects.toThrow(/no job is named nope/);
  });
});

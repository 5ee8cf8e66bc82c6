/**
 * The pipeline, in one place: what starts which job, and which step follows which. Everything the
 * app does in the background is wired here; modules elsewhere only do their own step.
 *
 *   Shopify ─ webhook ─► /webhooks: verified, stored in the inbox, 200 ─► job webhooks.process
 *     webhooks.process (per shop, in event order): each topic's handler writes what changed
 *       ├─ sync topics report changed customers ─► segments recomputed for them, once per
 *       │                                          batch of deliveries
 *       │                                          └─► storefront.publish, 10 minutes later
 *       └─ bulk_operations/finish of an abandoned full sync ─► sync.full
 *   Install, "Sync now" ─► sync.full: the whole store; then every customer's segments,
 *                                     and once the import succeeded: engagement.read, and
 *                                     segments.performance (every kept period rebuilt)
 *   Install ─► storefront.pixel: the app's web pixel connected (or its settings updated), so
 *              the top bar's impressions and clicks reach /pixel/events
 *   Storefront page seen with its recommendation measurement due (none, a day old, a merchant's
 *   add-on choice since) ─► storefront.evaluate: measured and stored for the page
 *   Schedules (each occurrence runs on one instance; each fans out one job per shop):
 *     every minute    inbox sweep ─► webhooks.process (retries due, a lost wake-up);
 *                                 ─► sync.full (a full sync whose process died or that failed)
 *     every 15 min    sync.reconcile: heals webhooks Shopify never delivered
 *     hourly          segments.recompute, once per UTC day: recency moves with time
 *     hourly          predictions.refresh, once per UTC day: refit, store, and the segments
 *                     on predictions recomputed (also "Refit now": predictions.refit)
 *     hourly          segments.performance: the periods that ended since (shop's calendar)
 *     every 5 min     tags.write: tags and Shopify segments follow memberships
 *     every minute    flow.send: segment moves start the merchant's Shopify Flow workflows
 *     hourly          engagement.read, once per UTC day: the email engagement groups' members
 *                     read from Shopify (shops that send Shopify Email)
 *     daily           storefront.publish: scheduled bars and recommendations stay current
 *     every minute    storefront.boundary: a bar started or ended since the bars were last
 *                     written ─► republish, so Shopify's cached pages switch within 2 minutes
 *     hourly          housekeeping: failed deliveries' bodies dropped after a week
 *
 * Per job name and shop, one job runs at a time across all instances (see app/jobs/job-system.ts).
 */
import { databaseProvider, DEFAULT_DATABASE_URL } from "../prisma/provider.js";
import { InProcessJobs } from "./jobs/in-process.server";
import {
  type JobData,
  type JobSpec,
  type JobSystem,
  type JobTable,
  type LastRun,
  nextOccurrence,
  type Schedules,
} from "./jobs/job-system";
import { PgBossJobs } from "./jobs/pg-boss.server";
import { logger } from "./logger.server";
import { refreshPredictionsIfDue, shopsDueForPredictions } from "./predictions/jobs.server";
import { refreshPredictions } from "./predictions/refresh.server";
import { dropOldFailedBodies, shopsWithClaimableDeliveries } from "./models/webhook-inbox.server";
import { sendFlowTriggers, shopsWithFlowMoves } from "./segments/flow.server";
import { recomputeCustomers } from "./segments/recompute.server";
import { readEngagementGroups, shopsDueForEngagementRead } from "./segments/engagement.server";
import { recomputeIfDue, shopsDueForDailyRecompute } from "./segments/jobs.server";
import { rebuildPerformance } from "./segments/performance.server";
import {
  BOUNDARY_CHECK_CRON,
  REFRESH_DELAY_SECONDS,
  refreshStorefront,
  republishAtBoundary,
  shopsPastBarBoundary,
  shopsUsingStorefront,
  usesStorefront,
} from "./storefront/jobs.server";
import { measureRecommendationQuality } from "./storefront/recommendations.server";
import { connectShopWebPixel } from "./storefront/web-pixel.server";
import type { SyncEffects } from "./sync/effects";
import {
  fullSyncShop,
  needsFirstImport,
  reconcileShop,
  shopsToKeepInStep,
  shopsWithAbandonedFullSync,
} from "./sync/jobs.server";
import { SYNC_WEBHOOK_HANDLERS } from "./sync/webhook-handlers.server";
import { shopsWithTagging, writeTagsIfChanged } from "./tags/jobs.server";
import { APP_WEBHOOK_HANDLERS } from "./webhooks/app-handlers.server";
import { processShopInbox } from "./webhooks/inbox-worker.server";

/** Every topic the app subscribes to (shopify.app.toml, checked by a test) and its handler. */
export const WEBHOOK_HANDLERS = { ...APP_WEBHOOK_HANDLERS, ...SYNC_WEBHOOK_HANDLERS };

export const SCHEDULES: Schedules = {
  "schedule.inbox-sweep": "* * * * *",
  "schedule.reconcile": "*/15 * * * *",
  "schedule.daily-recompute": "7 * * * *",
  "schedule.predictions": "27 * * * *",
  "schedule.performance": "47 * * * *",
  "schedule.tags": "*/5 * * * *",
  "schedule.flow": "* * * * *",
  "schedule.engagement": "47 * * * *",
  "schedule.publish": "17 3 * * *",
  "schedule.bar-boundaries": BOUNDARY_CHECK_CRON,
  "schedule.housekeeping": "41 * * * *",
};

/** The work that runs for each shop by itself: its job and the schedule that sends it. */
export const AUTOMATIC_WORK = {
  "tags.write": "schedule.tags",
  "sync.reconcile": "schedule.reconcile",
  "segments.recompute": "schedule.daily-recompute",
  "predictions.refresh": "schedule.predictions",
  "engagement.read": "schedule.engagement",
  "segments.performance": "schedule.performance",
  "storefront.publish": "schedule.publish",
} as const;

export type AutomaticJob = keyof typeof AUTOMATIC_WORK;

export interface AutomaticWork {
  job: AutomaticJob;
  /** The schedule's cron expression (UTC). */
  cron: string;
  /** The shop's last job of this name that ended (null: none known). */
  lastRun: LastRun | null;
  /** The schedule's next occurrence: the shop's job is sent then, if it has work due. */
  nextCheck: Date;
}

type ShopJob = { shop: string };
const perShop = (spec: JobSpec<ShopJob>) => spec as JobSpec<never>;

export interface Pipeline {
  jobs: JobSystem;
  /** What sync reports; the webhook handlers, reconciliation and full sync are given these. */
  effects: SyncEffects;
  /** A delivery of the shop was stored: its inbox job is sent (one per shop per moment). */
  webhookStored(shop: string): void;
  /** Install: the first full import, unless the shop has one; the web pixel connected. */
  afterInstall(shop: string): Promise<void>;
  /** "Sync now": the shop's full sync, as a job (false: one is waiting already). */
  startFullSync(shop: string): Promise<boolean>;
  /** "Refit now": the shop's predictions refitted, as a job (false: one is waiting already). */
  refitPredictions(shop: string): Promise<boolean>;
  /** The storefront page's recommendation quality measured again, as a job. */
  measureRecommendations(shop: string): Promise<boolean>;
  /** Processes the shop's inbox here and now (tests, the CLI); the job does the same. */
  processInbox(shop: string): Promise<number>;
  /** Per automatic job: when it last ended for the shop and when its schedule checks next. */
  automaticWork(shop: string, now?: Date): Promise<AutomaticWork[]>;
}

type Engine = (jobs: JobTable, schedules: Schedules) => JobSystem;

export function createPipeline(engine: Engine, schedules: Schedules = SCHEDULES): Pipeline {
  // The job bodies send through `jobs` (the engine, made below from their table).
  const send = (name: string, data: JobData, delaySeconds?: number) =>
    jobs.send(name, data, delaySeconds ? { delaySeconds } : {});
  const fanOut = async (name: string, shops: Promise<string[]>) => {
    for (const shop of await shops) await send(name, { shop });
  };

  const effects: SyncEffects = {
    async customersChanged(shop, customerIds) {
      const ids = [...new Set(customerIds)];
      if (ids.length === 0) return;
      await recomputeCustomers(shop, ids);
      if (await usesStorefront(shop))
        await send("storefront.publish", { shop }, REFRESH_DELAY_SECONDS);
    },
    async continueFullSync(shop) {
      await send("sync.full", { shop });
    },
  };

  // A batch of deliveries recomputes the customers it touched once (a tag write's echoes bring
  // two deliveries per customer, and 100,000 customers' echoes must not cost 200,000 recomputes).
  const processInbox = (shop: string) => {
    const touched = new Set<string>();
    return processShopInbox(shop, {
      handlers: WEBHOOK_HANDLERS,
      effects: {
        ...effects,
        async customersChanged(_shop, customerIds) {
          for (const id of customerIds) touched.add(id);
        },
      },
      settle: async () => {
        const ids = [...touched];
        touched.clear();
        // In small transactions: a webhook's acknowledgement waits for the one under way.
        for (let i = 0; i < ids.length; i += 10)
          await effects.customersChanged(shop, ids.slice(i, i + 10));
      },
    });
  };

  const table: JobTable = {
    "webhooks.process": perShop({
      run: async ({ shop }) => ({ handled: await processInbox(shop) }),
      retries: 8,
      concurrency: 4,
      heartbeatSeconds: 10,
    }),
    "sync.full": perShop({
      run: async ({ shop }) => {
        const result = await fullSyncShop(shop, effects.customersChanged);
        if ("status" in result && result.status === "succeeded") {
          await send("engagement.read", { shop });
          // The orders may have changed anywhere in the past: every period is computed again.
          await send("segments.performance", { shop, everything: true });
        }
        return result;
      },
      // A store of a million orders imports for hours; a dead worker is noticed in half a minute
      // and its run continued from its checkpoint.
      expireInSeconds: 6 * 3600,
      heartbeatSeconds: 20,
      retryDelaySeconds: 10,
      concurrency: 1,
    }),
    "sync.reconcile": perShop({
      run: ({ shop }) => reconcileShop(shop, effects.customersChanged),
      heartbeatSeconds: 30,
      expireInSeconds: 3600,
    }),
    "segments.recompute": perShop({
      run: async ({ shop }) => ({ recomputed: (await recomputeIfDue(shop)) !== null }),
      heartbeatSeconds: 30,
    }),
    "segments.performance": perShop({
      run: ({ shop, everything }: ShopJob & { everything?: boolean }) =>
        rebuildPerformance(shop, { everything }),
      heartbeatSeconds: 30,
      expireInSeconds: 3600,
    }),
    "predictions.refresh": perShop({
      run: async ({ shop }) => {
        const refreshed = await refreshPredictionsIfDue(shop);
        return refreshed
          ? { method: refreshed.run.method, customers: refreshed.run.predictions.length }
          : { refreshed: false };
      },
      heartbeatSeconds: 30,
    }),
    // "Refit now": at 100,000 customers a refit takes seconds, longer than a request should.
    "predictions.refit": perShop({
      run: async ({ shop }) => {
        const { run } = await refreshPredictions(shop);
        return { method: run.method, customers: run.predictions.length };
      },
      heartbeatSeconds: 30,
    }),
    "tags.write": perShop({
      run: async ({ shop }) => (await writeTagsIfChanged(shop)) ?? { written: false },
      heartbeatSeconds: 30,
      expireInSeconds: 3600,
    }),
    "flow.send": perShop({
      run: ({ shop }) => sendFlowTriggers(shop),
      heartbeatSeconds: 30,
    }),
    "engagement.read": perShop({
      run: ({ shop }) => readEngagementGroups(shop),
      heartbeatSeconds: 30,
      // Each member read costs a point: 40,000 members at a standard shop's 100 points/s take
      // about 7 minutes.
      expireInSeconds: 3600,
    }),
    "storefront.publish": perShop({
      run: async ({ shop }) => ({ published: (await refreshStorefront(shop)).published }),
      heartbeatSeconds: 30,
    }),
    // Seconds for a large catalogue: never on the page's request.
    "storefront.evaluate": perShop({
      run: ({ shop }) => measureRecommendationQuality(shop, new Date()),
      heartbeatSeconds: 30,
    }),
    "storefront.pixel": perShop({
      run: ({ shop }) => connectShopWebPixel(shop),
    }),
    "storefront.boundary": perShop({
      run: async ({ shop }) => ({ published: (await republishAtBoundary(shop)).published }),
      heartbeatSeconds: 30,
    }),
    "schedule.inbox-sweep": {
      run: async () => {
        await fanOut("webhooks.process", shopsWithClaimableDeliveries());
        await fanOut("sync.full", shopsWithAbandonedFullSync());
      },
    },
    "schedule.reconcile": { run: () => fanOut("sync.reconcile", shopsToKeepInStep()) },
    "schedule.daily-recompute": {
      run: () => fanOut("segments.recompute", shopsDueForDailyRecompute()),
    },
    "schedule.predictions": {
      run: () => fanOut("predictions.refresh", shopsDueForPredictions()),
    },
    "schedule.performance": { run: () => fanOut("segments.performance", shopsToKeepInStep()) },
    "schedule.tags": { run: () => fanOut("tags.write", shopsWithTagging()) },
    "schedule.flow": { run: () => fanOut("flow.send", shopsWithFlowMoves()) },
    "schedule.engagement": {
      run: () => fanOut("engagement.read", shopsDueForEngagementRead()),
    },
    "schedule.publish": { run: () => fanOut("storefront.publish", shopsUsingStorefront()) },
    "schedule.bar-boundaries": { run: () => fanOut("storefront.boundary", shopsPastBarBoundary()) },
    "schedule.housekeeping": { run: async () => ({ bodiesDropped: await dropOldFailedBodies() }) },
  };
  const jobs = engine(table, schedules);

  // Deliveries arrive in bursts: one send per shop per tick, not one per delivery.
  const wakeUps = new Set<string>();
  const sendWakeUps = () => {
    const shops = [...wakeUps];
    wakeUps.clear();
    for (const shop of shops)
      send("webhooks.process", { shop }).catch((error: unknown) =>
        // The delivery is stored; the inbox sweep sends the job within a minute.
        logger.warn({ err: error, shop }, "could not send the inbox job"),
      );
  };

  return {
    jobs,
    effects,
    processInbox,
    webhookStored(shop) {
      if (wakeUps.size === 0) setImmediate(sendWakeUps);
      wakeUps.add(shop);
    },
    async afterInstall(shop) {
      if (await needsFirstImport(shop)) await send("sync.full", { shop });
      // Every time: a reinstall (or new scopes) may find the pixel gone or pointing elsewhere.
      await send("storefront.pixel", { shop });
    },
    startFullSync: (shop) => send("sync.full", { shop }),
    refitPredictions: (shop) => send("predictions.refit", { shop }),
    measureRecommendations: (shop) => send("storefront.evaluate", { shop }),
    automaticWork: (shop, now = new Date()) =>
      Promise.all(
        (Object.entries(AUTOMATIC_WORK) as [AutomaticJob, string][]).map(async ([job, name]) => {
          const cron = schedules[name];
          if (!cron) throw new Error(`no schedule is named ${name}`);
          return {
            job,
            cron,
            lastRun: await jobs.lastRun(job, shop),
            nextCheck: nextOccurrence(cron, now),
          };
        }),
      ),
  };
}

/** Schedules from the environment (multi-instance tests run them every few seconds). */
function configuredSchedules(): Schedules {
  const override = process.env.PERSEGMENT_SCHEDULES;
  return override ? { ...SCHEDULES, ...(JSON.parse(override) as Schedules) } : SCHEDULES;
}

/** The engine for the app's database: pg-boss on PostgreSQL, in-process on SQLite. */
function engineFor(url: string): Engine {
  if (databaseProvider(url) !== "postgresql")
    return (jobs, schedules) => new InProcessJobs(jobs, schedules);
  const pollingIntervalSeconds = Number(process.env.JOB_POLLING_SECONDS ?? 2);
  return (jobs, schedules) => new PgBossJobs(url, jobs, schedules, { pollingIntervalSeconds });
}

declare global {
  // Kept across dev-server reloads: one job system per process.
  var pipelineGlobal: Pipeline | undefined;
}

/** This process's pipeline, on the configured database (created on first use, not started). */
export function pipeline(): Pipeline {
  return (globalThis.pipelineGlobal ??= createPipeline(
    engineFor(process.env.DATABASE_URL || DEFAULT_DATABASE_URL),
    configuredSchedules(),
  ));
}

/** Stops this process's job system, if it has one (the CLI before it exits, tests). */
export async function stopBackgroundWork() {
  await globalThis.pipelineGlobal?.jobs.stop();
}

/** Starts this process's share of the background work (the server calls it once; tests do not). */
export async function startBackgroundWork() {
  await pipeline().jobs.start();
  logger.info("background jobs started");
}

// Outgoing webhooks, delivered like Shopify: REST JSON body, HMAC-SHA256 (base64) over the raw
// body with the app secret, Shopify's headers, retries with the same webhook id. Switches make
// deliveries duplicated, delayed, reordered or dropped (seeded), for reliability tests.
import { createHmac, randomUUID } from "node:crypto";
import { Random } from "./prng";
import { API_VERSION } from "./schema";
import type { StoreChange } from "./store";

/** The topics shopify.app.toml subscribes the app to. */
export const APP_WEBHOOK_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "orders/delete",
  "customers/create",
  "customers/update",
  "customers/delete",
  "customers/merge",
  "customer.tags_added",
  "customer.tags_removed",
  "app/uninstalled",
  "app/scopes_update",
  "shop/update",
  "bulk_operations/finish",
];

export interface WebhookSwitches {
  /** Probability (0..1) that a delivery is sent twice, same webhook id. */
  duplicate?: number;
  /** Probability (0..1) that a delivery is never sent. */
  drop?: number;
  /** Delay before sending, fixed or a random range (ms). */
  delayMs?: number | { min: number; max: number };
  /** Hold deliveries and send each batch in shuffled order (batch closes after reorderWindowMs). */
  reorder?: boolean;
  reorderWindowMs?: number;
  /** Attempts after the first failure (Shopify makes 8 over 4 hours; default 3, fast). */
  retries?: number;
  retryDelayMs?: number;
  /** Requests open at once (default 16); the rest queue, so a burst never exhausts sockets. */
  maxConcurrent?: number;
}

export interface DeliveryRecord {
  topic: string;
  webhookId: string;
  eventId: string;
  url: string;
  body: string;
  /** abandoned: still pending when the stand-in was closed without delivering what was left. */
  outcome: "pending" | "delivered" | "failed" | "dropped" | "abandoned";
  attempts: number;
  statuses: (number | string)[];
  duplicateOf?: string;
}

export interface WebhookTarget {
  url: string;
  topics: string[];
}

export class WebhookDelivery {
  private switches: Required<Omit<WebhookSwitches, "delayMs">> & {
    delayMs: WebhookSwitches["delayMs"];
  } = {
    duplicate: 0,
    drop: 0,
    delayMs: 0,
    reorder: false,
    reorderWindowMs: 50,
    retries: 3,
    retryDelayMs: 100,
    maxConcurrent: 16,
  };
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private random: Random;
  private dropNextCount = 0;
  private duplicateNextCount = 0;
  private inFlight = new Set<Promise<void>>();
  private held: (() => Promise<void>)[] = [];
  private holdTimer: NodeJS.Timeout | null = null;
  private paused = false;
  private abandoned = false;
  /** Every delivery made (newest last; the oldest are forgotten past 10,000). */
  readonly log: DeliveryRecord[] = [];
  readonly targets: WebhookTarget[] = [];

  constructor(
    private readonly shop: string,
    private readonly apiSecret: string,
    seed = 1,
  ) {
    this.random = new Random(seed);
  }

  configure(switches: WebhookSwitches) {
    this.switches = { ...this.switches, ...switches };
  }

  /** Drops the next `count` deliveries (counts beat probabilities for exact tests). */
  dropNext(count = 1) {
    this.dropNextCount += count;
  }

  duplicateNext(count = 1) {
    this.duplicateNextCount += count;
  }

  /** Holds every delivery until resume(); resume sends them (shuffled when reorder is on). */
  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
    this.releaseHeld();
  }

  /**
   * Resolves when every delivery made so far (held for reordering, delayed, retrying) has
   * finished. Deliveries held by pause() stay held until resume().
   */
  async flush() {
    this.releaseHeld();
    while (this.inFlight.size || (!this.paused && this.held.length)) {
      this.releaseHeld();
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /**
   * Gives up every delivery not yet sent or still retrying (their records say "abandoned"), so a
   * stand-in whose app has stopped can close without retrying a backlog into a closed port.
   */
  abandon() {
    this.abandoned = true;
    this.held.splice(0);
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Sends one store change to every target subscribed to its topic. */
  deliver(change: StoreChange) {
    for (const target of this.targets)
      if (target.topics.includes(change.topic)) this.schedule(target.url, change);
  }

  private schedule(url: string, change: StoreChange) {
    const body = JSON.stringify(change.payload);
    const record: DeliveryRecord = {
      topic: change.topic,
      webhookId: randomUUID(),
      eventId: change.eventId,
      url,
      body,
      outcome: "pending",
      attempts: 0,
      statuses: [],
    };
    this.remember(record);
    if (this.dropNextCount > 0 || this.random.chance(this.switches.drop)) {
      if (this.dropNextCount > 0) this.dropNextCount--;
      record.outcome = "dropped";
      return;
    }
    const copies = [record];
    if (this.duplicateNextCount > 0 || this.random.chance(this.switches.duplicate)) {
      if (this.duplicateNextCount > 0) this.duplicateNextCount--;
      const copy = { ...record, statuses: [], duplicateOf: record.webhookId };
      this.remember(copy);
      copies.push(copy);
    }
    for (const copy of copies) {
      const send = () => this.send(copy, change.triggeredAt);
      if (this.paused || this.switches.reorder) {
        this.held.push(send);
        if (!this.paused && !this.holdTimer)
          this.holdTimer = setTimeout(() => this.releaseHeld(), this.switches.reorderWindowMs);
      } else this.track(send());
    }
  }

  private releaseHeld() {
    if (this.paused) return;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    const batch = this.held.splice(0);
    if (this.switches.reorder)
      for (let i = batch.length - 1; i > 0; i--) {
        const j = Math.floor(this.random.next() * (i + 1));
        [batch[i], batch[j]] = [batch[j], batch[i]];
      }
    for (const send of batch) this.track(send());
  }

  private track(promise: Promise<void>) {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private remember(record: DeliveryRecord) {
    this.log.push(record);
    if (this.log.length > 10_000) this.log.splice(0, this.log.length - 10_000);
  }

  private delay() {
    const setting = this.switches.delayMs;
    if (!setting) return 0;
    if (typeof setting === "number") return setting;
    return setting.min + this.random.next() * (setting.max - setting.min);
  }

  /** The exact request Shopify would make for this delivery. */
  signedHeaders(record: DeliveryRecord, triggeredAt: number) {
    return {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": record.topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", this.apiSecret)
        .update(record.body, "utf8")
        .digest("base64"),
      "X-Shopify-Shop-Domain": this.shop,
      "X-Shopify-API-Version": API_VERSION,
      "X-Shopify-Webhook-Id": record.webhookId,
      "X-Shopify-Triggered-At": new Date(triggeredAt).toISOString(),
      "X-Shopify-Event-Id": record.eventId,
    };
  }

  private async send(record: DeliveryRecord, triggeredAt: number) {
    const wait = this.delay();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const headers = this.signedHeaders(record, triggeredAt);
    for (let attempt = 0; attempt <= this.switches.retries; attempt++) {
      if (attempt > 0)
        await new Promise((resolve) =>
          setTimeout(resolve, this.switches.retryDelayMs * 2 ** (attempt - 1)),
        );
      if (this.abandoned) break;
      await this.acquire();
      if (this.abandoned) break;
      record.attempts++;
      try {
        const response = await fetch(record.url, {
          method: "POST",
          headers,
          body: record.body,
          redirect: "manual",
          signal: AbortSignal.timeout(5000),
        });
        record.statuses.push(response.status);
        await response.arrayBuffer().catch(() => undefined);
        // Shopify counts anything but 2xx (3xx included) as a failure.
        if (response.status >= 200 && response.status < 300) {
          record.outcome = "delivered";
          return;
        }
      } catch (error) {
        record.statuses.push(
          (error as Error).name === "TimeoutError" ? "timeout" : (error as Error).message,
        );
      } finally {
        this.release();
      }
    }
    record.outcome = this.abandoned ? "abandoned" : "failed";
  }

  /** A delivery slot; a finished request hands its slot straight to the next in line. */
  private async acquire() {
    if (this.active < this.switches.maxConcurrent) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release() {
    if (this.abandoned) return;
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
